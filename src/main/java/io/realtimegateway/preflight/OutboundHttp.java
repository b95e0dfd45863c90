package io.realtimegateway.preflight;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Context;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;

/**
 * How the gateway talks HTTP to LiveKit and OpenAI: Vert.x clients on the Vert.x instance Quarkus runs, one per
 * server, created once. HTTP/1.1 without the h2c upgrade on {@code http://} (servers that handle WebSocket upgrades,
 * such as Node proxies, drop a request carrying {@code Upgrade: h2c}; the JDK client sends one), ALPN on
 * {@code https://}. Also the one bridge from such a client's future to a blocking probe.
 */
public final class OutboundHttp {

    private OutboundHttp() {
    }

    /** The client options every outbound HTTP client uses; {@code connectTimeout} bounds the TCP (and TLS) connect. */
    public static HttpClientOptions options(Duration connectTimeout) {
        return new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setHttp2ClearTextUpgrade(false)
                .setUseAlpn(true)
                .setKeepAlive(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis())));
    }

    /**
     * Waits for an outbound call, for the probes (boot thread, workers): never on an event loop, where the call itself
     * would have to run. A failure comes back as an {@link IOException} (described by {@link NetworkFailure}).
     *
     * @throws IllegalStateException on an event loop thread
     * @throws IOException when the call failed or did not finish within {@code timeout}
     */
    public static <T> T await(CompletionStage<T> call, Duration timeout) throws IOException, InterruptedException {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("a blocking probe was called on an event loop");
        }
        try {
            return call.toCompletableFuture().get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.getClass().getSimpleName(), cause);
        } catch (TimeoutException e) {
            throw new IOException("timed out", e);
        }
    }
}
