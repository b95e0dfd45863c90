package io.realtimegateway.relay;

import java.net.URI;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.realtime.RealtimeConfig;
import io.realtimegateway.ticket.SafetyIdentifiers;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Where the relay connects and with which credentials: the same raw values the preflight linted
 * ({@link OpenAiCredentials}), so the relay never uses a key the checks did not see.
 */
@ApplicationScoped
class RelayUpstream {

    private final OpenAiCredentials openai;
    private final SafetyIdentifiers safety;
    private final WebSocketClient client;
    private final long connectTimeoutMillis;

    RelayUpstream(OpenAiCredentials openai, SafetyIdentifiers safety, RealtimeConfig config, Vertx vertx) {
        this.openai = openai;
        this.safety = safety;
        this.connectTimeoutMillis = Math.max(1, config.upstreamConnectTimeout().toMillis());
        // One client for every session. Vert.x queues connections to one host beyond maxConnections (default 50),
        // so it must allow every session the gateway admits, plus those still closing. The transport limit is twice
        // the relay's message limit, so that an oversized message reaches the relay and gets a proper 1009. It offers
        // no compression (Vert.x's default), so what upstream sends is held at its wire size.
        int transportLimit = (int) Math.min(Integer.MAX_VALUE, 2L * config.maxMessageBytes());
        // A pending connect cannot be cancelled through the ClientWebSocket, even when its session is over: only these
        // timeouts close it (the TCP connect, then the upgrade), so an upstream that accepts and never answers holds a
        // socket at most the connect timeout. The session's own timer gives up first: its deadline is earlier.
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis))
                .setMaxConnections((int) Math.min(Integer.MAX_VALUE, 2L * config.maxSessions()))
                .setMaxFrameSize(transportLimit)
                .setMaxMessageSize(transportLimit));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * A new, unconnected upstream socket. Set its handlers, then {@code connect(connectOptions(plan))} from the
     * client connection's event loop: Vert.x then binds the upstream to that same loop, so both legs of a session
     * run on one thread and every relayed frame is written without a thread hop.
     */
    ClientWebSocket newSocket() {
        return client.webSocket();
    }

    /** The upstream URL of a session, for logs (it carries no credential). */
    String url(SessionPlan plan) {
        return openai.realtimeUri(plan.transcription() ? null : plan.model()).toString();
    }

    /**
     * Where and how {@link #newSocket()} connects: {@link OpenAiCredentials#realtimeUri} with the server key headers and
     * the end user's {@link SafetyIdentifiers hashed identifier}.
     */
    WebSocketConnectOptions connectOptions(SessionPlan plan) {
        URI uri = openai.realtimeUri(plan.transcription() ? null : plan.model());
        boolean tls = "wss".equals(uri.getScheme());
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(uri.getHost())
                .setPort(uri.getPort() > 0 ? uri.getPort() : (tls ? 443 : 80))
                .setSsl(tls)
                .setURI(uri.getRawPath() + "?" + uri.getRawQuery())
                // For a WebSocket, Vert.x's idle timeout bounds the upgrade only: it closes the connection when the
                // handshake has not completed in time, and is cancelled once it has.
                .setIdleTimeout(connectTimeoutMillis);
        openai.headers().forEach(options::addHeader);
        options.addHeader(SafetyIdentifiers.HEADER, safety.of(plan.identity()));
        return options;
    }
}
