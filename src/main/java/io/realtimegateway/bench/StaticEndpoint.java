package io.realtimegateway.bench;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.realtimegateway.config.BenchConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * The benchmark's ceiling of this server: with {@code gateway.bench.static-endpoint=true} (never in a deployment),
 * {@code POST /bench/static} reads the request body and answers a fixed 201 JSON body of the configured size, on
 * the same Vert.x HTTP server, event loops and route filters as the token endpoint, without authentication, JSON
 * or signing. Switched off (the default) the route does not exist, so it is no API surface.
 */
@ApplicationScoped
class StaticEndpoint {

    static final String PATH = "/bench/static";
    private static final Logger LOG = Logger.getLogger(StaticEndpoint.class);
    private static final String PREFIX = "{\"static\":\"";
    private static final String SUFFIX = "\"}";

    void mount(@Observes Router router, BenchConfig config) {
        if (!config.staticEndpoint()) {
            return;
        }
        Buffer body = body(config.staticBodyBytes());
        router.post(PATH).handler(ctx -> {
            ctx.request().body().onComplete(read -> ctx.response().setStatusCode(201)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(body));
            ctx.request().resume(); // Quarkus hands requests to the router paused
        });
        LOG.warnf("Benchmark endpoint %s is on (gateway.bench.static-endpoint=true): for bench/run.sh only, never in a deployment", PATH);
    }

    /** A JSON object of exactly {@code size} bytes (or the smallest one, when {@code size} is smaller). */
    static Buffer body(int size) {
        return Buffer.buffer(PREFIX + "x".repeat(Math.max(0, size - PREFIX.length() - SUFFIX.length())) + SUFFIX);
    }
}
