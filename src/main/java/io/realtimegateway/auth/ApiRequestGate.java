package io.realtimegateway.auth;

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
 * Runs before the JAX-RS resources of {@code /api/*} on every request that carries a body: the caller is
 * authenticated first (401 problem+json, the body unread), and a {@code Content-Length} over
 * {@code gateway.http.max-body-bytes} is refused at once (413 problem+json). A body without a declared length
 * (chunked) is refused with 411 problem+json: Quarkus REST reads such a body itself, and its own limit
 * ({@code quarkus.http.limits.max-body-size}) answers an empty 413, while a Vert.x {@code BodyHandler} in front of it
 * leaves Quarkus REST waiting for a body that was already read. Browsers, the LiveKit and OpenAI SDKs and curl
 * declare the length of the small JSON bodies these endpoints take. The resource takes the caller from here
 * ({@link CallerAuthenticator#authenticate(RoutingContext, String)}), so a request is authenticated once.
 */
@ApplicationScoped
class ApiRequestGate {

    /** Before Quarkus REST's route, which has order 0 or above. */
    static final int ORDER = -100;

    private final CallerAuthenticator authenticator;
    private final HttpConfig config;
    private final ObjectMapper mapper;

    ApiRequestGate(CallerAuthenticator authenticator, HttpConfig config, ObjectMapper mapper) {
        this.authenticator = authenticator;
        this.config = config;
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.route("/api/*").order(ORDER).handler(this::gate);
    }

    private void gate(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean chunked = length == null && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
        if (!chunked && (length == null || length.trim().equals("0"))) {
            ctx.next(); // no body to read: the resource authenticates
            return;
        }
        try {
            CallerAuthenticator.remember(ctx, authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION)));
        } catch (ProblemException unauthorized) {
            refuse(ctx, unauthorized);
            return;
        }
        if (chunked) {
            refuse(ctx, Problems.lengthRequired(config.maxBodyBytes()));
        } else if (declaredOver(length)) {
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
