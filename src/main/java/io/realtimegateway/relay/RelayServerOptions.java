package io.realtimegateway.relay;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.realtimegateway.config.RealtimeConfig;
import io.vertx.core.http.HttpServerOptions;

/**
 * The HTTP server's WebSocket settings the relay needs: the {@code realtime} subprotocol is echoed (the SDKs offer
 * it next to {@code openai-insecure-api-key.<ticket>}, which is never echoed), and the transport limits are twice
 * {@code gateway.realtime.max-message-bytes}, so an oversized message reaches the relay and gets a proper 1009
 * (past the transport limit, Netty would cut the connection).
 */
@ApplicationScoped
class RelayServerOptions implements HttpServerOptionsCustomizer {

    static final String SUBPROTOCOL = "realtime";

    private final RealtimeConfig config;

    RelayServerOptions(RealtimeConfig config) {
        this.config = config;
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        apply(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        apply(options);
    }

    private void apply(HttpServerOptions options) {
        List<String> subprotocols = options.getWebSocketSubProtocols() == null ? new ArrayList<>()
                : new ArrayList<>(options.getWebSocketSubProtocols());
        if (!subprotocols.contains(SUBPROTOCOL)) {
            subprotocols.add(SUBPROTOCOL);
        }
        options.setWebSocketSubProtocols(subprotocols);
        int transportLimit = (int) Math.min(Integer.MAX_VALUE, 2L * config.maxMessageBytes());
        options.setMaxWebSocketFrameSize(Math.max(options.getMaxWebSocketFrameSize(), transportLimit));
        options.setMaxWebSocketMessageSize(Math.max(options.getMaxWebSocketMessageSize(), transportLimit));
    }
}
