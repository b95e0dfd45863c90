package io.realtimegateway.console;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * A fixed, small TCP send buffer on the main port when a test profile sets {@code test.console.send-buffer-size}
 * ({@link ConsoleSlowFeedTest}): the kernel then absorbs little of what a stalled client does not read, so the feed's
 * own bound is what stops it, soon. Other profiles leave the server's options alone.
 */
@ApplicationScoped
class SmallSendBuffer implements HttpServerOptionsCustomizer {

    private final int size;

    SmallSendBuffer(@ConfigProperty(name = "test.console.send-buffer-size", defaultValue = "0") int size) {
        this.size = size;
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        if (size > 0) {
            options.setSendBufferSize(size);
        }
    }
}
