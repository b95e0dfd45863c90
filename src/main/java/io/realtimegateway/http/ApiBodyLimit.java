package io.realtimegateway.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.realtimegateway.http.HttpConfig;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.ProblemResponses;
import io.realtimegateway.problem.Problems;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs before the JAX-RS resources of {@code /api/*}, after Quarkus Security has authenticated the caller (so a refused
 * caller is answered first, its body unread): a {@code Content-Length} over {@code gateway.http.max-body-bytes} is
 * refused at once (413 problem+json). A body without a declared length (chunked) is refused with 411 problem+json:
 * Quarkus REST reads such a body itself, and its own limit ({@code quarkus.http.limits.max-body-size}) answers an empty
 * 413, while a Vert.x {@code BodyHandler} in front of it leaves Quarkus REST waiting for a body that was already read.
 * Browsers, the LiveKit and OpenAI SDKs and curl declare the length of the small JSON bodies these endpoints take.
 */
@ApplicationScoped
class ApiBodyLimit {

    /**
     * After Quarkus Security's authentication (route order -200) and permission check (-100), before Quarkus REST's
     * route (order 0 or above).
     */
    static final int ORDER = -99;

    private final HttpConfig config;
    private final ObjectMapper mapper;

    ApiBodyLimit(HttpConfig config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.route("/api/*").order(ORDER).handler(this::limit);
    }

    private void limit(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean chunked = length == null && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
        if (chunked) {
            refuse(ctx, Problems.lengthRequired(config.maxBodyBytes()));
        } else if (length != null && declaredOver(length)) {
            refuse(ctx, Problems.bodyTooLarge(config.maxBodyBytes()));
        } else {
            ctx.next();
        }
    }

    private boolean declaredOver(String length) {
        try {
            return Long.parseLong(length.trim()) > config.maxBodyBytes();
        } catch (NumberFormatException e) {
            return false; // Netty refuses a malformed Content-Length itself
        }
    }

    /** Answers without reading the body; on HTTP/1.x the connection then closes, so the unread body is never parsed. */
    private void refuse(RoutingContext ctx, ProblemException problem) {
        HttpServerResponse response = ctx.response();
        if (ctx.request().version() != HttpVersion.HTTP_2) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
            response.endHandler(v -> ctx.request().connection().close());
        }
        ProblemResponses.end(response, problem, mapper);
    }
}
