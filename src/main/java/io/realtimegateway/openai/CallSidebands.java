package io.realtimegateway.openai;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.realtime.RealtimeConfig;
import io.realtimegateway.relay.RelayMetrics;
import io.realtimegateway.relay.SessionRegistry;
import io.realtimegateway.ticket.SafetyIdentifiers;
import io.realtimegateway.usage.UsageMeter;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Starts the sideband of each call ({@link CallSideband}) and holds what they share: one WebSocket client, created
 * once, and the collaborators. The sideband URL is the relay's upstream URL ({@link OpenAiCredentials#realtimeUri})
 * with {@code call_id} as its only query parameter, and the server key's headers. Calls are drained on SIGTERM with
 * the relayed sessions, through the {@link SessionRegistry} they join.
 */
@ApplicationScoped
class CallSidebands {

    private final OpenAiCredentials openai;
    private final OpenAiHttp http;
    private final SafetyIdentifiers safety;
    private final SessionPolicy policy;
    private final RealtimeConfig realtime;
    private final CallMetrics metrics;
    private final RelayMetrics relayMetrics;
    private final UsageMeter usage;
    private final SessionRegistry sessions;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final WebSocketClient client;

    CallSidebands(OpenAiCredentials openai, OpenAiHttp http, SafetyIdentifiers safety, SessionPolicy policy, RealtimeConfig realtime,
            CallMetrics metrics, RelayMetrics relayMetrics, UsageMeter usage, SessionRegistry sessions, ObjectMapper mapper, Vertx vertx) {
        this.openai = openai;
        this.http = http;
        this.safety = safety;
        this.policy = policy;
        this.realtime = realtime;
        this.metrics = metrics;
        this.relayMetrics = relayMetrics;
        this.usage = usage;
        this.sessions = sessions;
        this.mapper = mapper;
        this.vertx = vertx;
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections((int) Math.min(Integer.MAX_VALUE, 2L * realtime.maxSessions()))
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, realtime.upstreamConnectTimeout().toMillis()))
                .setMaxFrameSize(realtime.maxMessageBytes())
                .setMaxMessageSize(realtime.maxMessageBytes()));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** Takes control of a call that OpenAI accepted; its session slot is released when the call ends. */
    void control(CallSideband.Call call) {
        vertx.getOrCreateContext().runOnContext(v -> new CallSideband(call, this).start());
    }

    /** The sideband's connection: the server key's headers and, as on every upstream request, the end user's hashed identifier. */
    WebSocketConnectOptions connectOptions(String callId, String identity) {
        URI uri = openai.realtimeUri(null);
        boolean tls = "wss".equals(uri.getScheme());
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(uri.getHost())
                .setPort(uri.getPort() > 0 ? uri.getPort() : (tls ? 443 : 80))
                .setSsl(tls)
                .setURI(uri.getRawPath() + "?call_id=" + URLEncoder.encode(callId, StandardCharsets.UTF_8));
        openai.headers().forEach(options::addHeader);
        options.addHeader(SafetyIdentifiers.HEADER, safety.of(identity));
        return options;
    }

    WebSocketClient client() {
        return client;
    }

    OpenAiHttp http() {
        return http;
    }

    SessionPolicy policy() {
        return policy;
    }

    RealtimeConfig realtime() {
        return realtime;
    }

    CallMetrics metrics() {
        return metrics;
    }

    RelayMetrics relayMetrics() {
        return relayMetrics;
    }

    UsageMeter usage() {
        return usage;
    }

    SessionRegistry sessions() {
        return sessions;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    Vertx vertx() {
        return vertx;
    }
}
