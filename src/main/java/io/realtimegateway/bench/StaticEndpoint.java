package io.realtimegateway.bench;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.arc.properties.IfBuildProperty;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * The benchmark's ceiling of this server: {@code POST /bench/static} reads the request body and answers a fixed 201
 * JSON body of {@code gateway.bench.static-body-bytes} bytes, on the same Vert.x HTTP server, event loops and route
 * filters as the token endpoint, without authentication, JSON or signing.
 * <p>
 * It exists only in a jar or executable packaged with the build property {@value #BUILD_PROPERTY}{@code =true}, which
 * {@code bench/run.sh} alone sets: the product's build leaves this bean out, so no runtime setting can mount it. The
 * body size stays a runtime setting because the benchmark measures it from a running gateway's token response.
 */
@IfBuildProperty(name = StaticEndpoint.BUILD_PROPERTY, stringValue = "true")
@ApplicationScoped
class StaticEndpoint {

    static final String BUILD_PROPERTY = "gateway.bench.static-endpoint";
    static final String PATH = "/bench/static";
    private static final Logger LOG = Logger.getLogger(StaticEndpoint.class);
    private static final String PREFIX = "{\"static\":\"";
    private static final String SUFFIX = "\"}";

    private final int bodyBytes;

    StaticEndpoint(@ConfigProperty(name = "gateway.bench.static-body-bytes", defaultValue = "512") int bodyBytes) {
        this.bodyBytes = bodyBytes;
    }

    void mount(@Observes Router router) {
        Buffer body = body(bodyBytes);
        router.post(PATH).handler(ctx -> {
            ctx.request().body().onComplete(read -> ctx.response().setStatusCode(201)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(body));
            ctx.request().resume(); // Quarkus hands requests to the router paused
        });
        LOG.warnf("Benchmark endpoint %s is on (a build with %s=true): for bench/run.sh only, never in a deployment", PATH, BUILD_PROPERTY);
    }

    /** A JSON object of exactly {@code size} bytes (or the smallest one, when {@code size} is smaller). */
    static Buffer body(int size) {
        return Buffer.buffer(PREFIX + "x".repeat(Math.max(0, size - PREFIX.length() - SUFFIX.length())) + SUFFIX);
    }
}
