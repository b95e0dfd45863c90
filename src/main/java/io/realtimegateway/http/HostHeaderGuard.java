package io.realtimegateway.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.vertx.http.ManagementInterface;
import io.realtimegateway.problem.ProblemResponses;
import io.realtimegateway.problem.Problems;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A request whose {@code Host} is missing or malformed ({@code evil.example:99999}) is failed by Vert.x Web with 400 before any
 * route runs; Quarkus's last-resort error handler would then log an ERROR and answer its own error page. This failure handler
 * runs first, on both ports, and answers 400 problem+json instead, logged at DEBUG only: anyone can send such a request,
 * without credentials, so it must cost neither a stack trace nor an ERROR line.
 */
@ApplicationScoped
class HostHeaderGuard {

    private static final Logger LOG = Logger.getLogger(HostHeaderGuard.class);

    private final ObjectMapper mapper;
    private final HttpMetrics metrics;

    HostHeaderGuard(ObjectMapper mapper, HttpMetrics metrics) {
        this.mapper = mapper;
        this.metrics = metrics;
    }

    void register(@Observes Router router) {
        router.route().order(ConnectionGuard.ROUTE_ORDER + 1).failureHandler(this::failed);
    }

    void registerManagement(@Observes ManagementInterface management) {
        management.router().route().order(ConnectionGuard.ROUTE_ORDER + 1).failureHandler(this::failed);
    }

    private void failed(RoutingContext ctx) {
        // HTTP/1.0 needs no Host, so a 400 there has another cause.
        if (ctx.statusCode() != 400 || ctx.request().authority() != null || ctx.request().version() == HttpVersion.HTTP_1_0
                || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        LOG.debugf("Refused a request without a valid Host header from %s", ctx.request().remoteAddress());
        metrics.closed(HttpMetrics.Closed.INVALID_HOST);
        // Close after the answer: a client that cannot name the host gets no keep-alive. Vert.x keeps a connection whose
        // request said "Connection: Upgrade" open despite the header, hence the explicit close.
        ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        ctx.response().endHandler(ended -> ctx.request().connection().close());
        ProblemResponses.end(ctx.response(), Problems.invalidHost(), mapper);
    }
}
