package io.realtimegateway.relay;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

import io.realtimegateway.realtime.RealtimeConfig;

/**
 * The HTTP server's WebSocket settings the relay needs:
 * <ul>
 * <li>the {@code realtime} subprotocol is echoed (the SDKs offer it next to {@code openai-insecure-api-key.<ticket>},
 * which is never echoed);</li>
 * <li>the transport's frame and message limits are {@code gateway.realtime.max-message-bytes} itself: a larger frame
 * is refused by Netty from its header, before its payload is read, and {@link FrameErrors} turns that into the
 * relay's 1009;</li>
 * <li>no compression. Vert.x 4.5 builds Netty's permessage-deflate handshaker without an inflation limit
 * ({@code maxAllocation}) and offers no hook to set one, so a frame is inflated whole, before Vert.x or the relay sees
 * it: 16 KiB on the wire became 16 MiB of heap, past every limit and budget. The wire limit only counts compressed
 * bytes. Clients that offer permessage-deflate (the Node and Python SDKs do) simply get no extension and send plain
 * frames; a frame marked compressed anyway is a protocol error (1002).</li>
 * </ul>
 * These options are the whole HTTP server's (the console feed's too). websockets-next's customizer sets compression
 * from its own config (default on), so this one runs after it: the lowest priority runs last.
 */
@ApplicationScoped
@Priority(Integer.MIN_VALUE)
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
        options.setMaxWebSocketFrameSize(config.maxMessageBytes());
        options.setMaxWebSocketMessageSize(config.maxMessageBytes());
        options.setPerMessageWebSocketCompressionSupported(false);
        options.setPerFrameWebSocketCompressionSupported(false);
    }
}
