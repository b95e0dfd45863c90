package io.realtimegateway.realtime;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.config.RealtimeConfig;
import io.realtimegateway.credentials.OpenAiCredentials;
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
    private final WebSocketClient client;

    RelayUpstream(OpenAiCredentials openai, RealtimeConfig config, Vertx vertx) {
        this.openai = openai;
        // One client for every session. Vert.x queues connections to one host beyond maxConnections (default 50),
        // so it must allow every session the gateway admits, plus those still closing. The transport limit is twice
        // the relay's message limit, so that an oversized message reaches the relay and gets a proper 1009.
        int transportLimit = (int) Math.min(Integer.MAX_VALUE, 2L * config.maxMessageBytes());
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
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

    /** Where and how {@link #newSocket()} connects: {@link #url} with the server key headers. */
    WebSocketConnectOptions connectOptions(SessionPlan plan) {
        URI base = baseUri(plan);
        boolean tls = "wss".equals(base.getScheme());
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(base.getHost())
                .setPort(base.getPort() > 0 ? base.getPort() : (tls ? 443 : 80))
                .setSsl(tls)
                .setURI((base.getRawPath() == null ? "" : base.getRawPath()) + PATH + "?" + base.getRawQuery());
        headers().forEach(options::addHeader);
        return options;
    }

    /** The relay serves only when it is enabled and has a server key to hold. */
    boolean relayEnabled() {
        return openai.relayEnabled() && apiKey().isPresent();
    }

    /** Why {@link #relayEnabled()} is false, for refusals; never the key. */
    String disabledReason() {
        return openai.realtimeEnabled()
                ? "the Realtime relay has no OpenAI key configured (set OPENAI_API_KEY)"
                : "the Realtime relay is disabled (GATEWAY_REALTIME_ENABLED=false)";
    }

    Optional<String> apiKey() {
        return openai.apiKey().filter(k -> !k.isBlank());
    }

    /** The REST base URL ({@code OPENAI_BASE_URL}) the boot check probes. */
    String restBaseUrl() {
        return openai.baseUrl();
    }

    /** The path appended to {@link #baseUri}'s path; its query stays the query. */
    static final String PATH = "/realtime";

    /** The full upstream URL, for logs and docs: {@link #baseUri} with {@link #PATH}. */
    String url(SessionPlan plan) {
        URI base = baseUri(plan);
        return base.getScheme() + "://" + base.getRawAuthority() + base.getRawPath() + PATH + "?" + base.getRawQuery();
    }

    /**
     * {@code OPENAI_BASE_URL} (https→wss, http→ws) with {@code ?model=…} (or {@code intent=transcription}); the
     * upstream path is its path plus {@link #PATH}.
     */
    URI baseUri(SessionPlan plan) {
        String base = openai.baseUrl();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        if (base.startsWith("https://")) {
            base = "wss://" + base.substring("https://".length());
        } else if (base.startsWith("http://")) {
            base = "ws://" + base.substring("http://".length());
        }
        String query = plan.transcription()
                ? "intent=transcription"
                : "model=" + URLEncoder.encode(plan.model(), StandardCharsets.UTF_8);
        return URI.create(base + "?" + query);
    }

    /** Authorization plus the optional organization and project; never an OpenAI-Beta header. */
    Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + apiKey().orElse(""));
        openai.organization().filter(v -> !v.isBlank()).ifPresent(v -> headers.put("OpenAI-Organization", v));
        openai.project().filter(v -> !v.isBlank()).ifPresent(v -> headers.put("OpenAI-Project", v));
        return headers;
    }
}
