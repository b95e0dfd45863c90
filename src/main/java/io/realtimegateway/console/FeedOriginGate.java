package io.realtimegateway.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.realtimegateway.auth.OriginPolicy;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.ProblemResponses;
import io.realtimegateway.problem.Problems;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The {@code Origin} rule of the feed. The console page lives on the management port and the feed on the main one,
 * so a browser's upgrade is always cross-origin, and Quarkus's CORS filter (same-origin or
 * {@code GATEWAY_CORS_ORIGINS}) would refuse it. The feed decides instead, ahead of that filter: an upgrade without
 * {@code Origin} (a script) or from the feed's own origin goes on to the ticket check; one whose {@code Origin} is the origin of the console page that
 * asked for its ticket ({@link ConsoleTickets}) goes on without it, so the filter lets it pass; any other page gets
 * 403 {@code console-origin-not-allowed}. Without a ticket known here it goes on as it is, to be refused downstream.
 * The same-origin rule and the way a refused origin is shown are {@link OriginPolicy}'s, as for the relay and calls;
 * only the list differs (the page that asked for the ticket instead of {@code GATEWAY_CORS_ORIGINS}).
 */
@ApplicationScoped
class FeedOriginGate {

    private final ConsoleTickets tickets;
    private final ObjectMapper problems;

    FeedOriginGate(ConsoleTickets tickets, ObjectMapper problems) {
        this.tickets = tickets;
        this.problems = problems;
    }

    void register(@Observes Router router) {
        router.route(ConsoleFeed.PATH).order(OriginPolicy.RELAY_ROUTE_ORDER).handler(this::check);
    }

    void check(RoutingContext ctx) {
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        String issuedTo = origin == null ? null : tickets.originOf(ctx.request().getParam("ticket"));
        if (origin == null || issuedTo == null || OriginPolicy.sameOrigin(ctx.request(), origin)) {
            ctx.next();
            return;
        }
        if (issuedTo.equalsIgnoreCase(origin)) {
            ctx.request().headers().remove(HttpHeaders.ORIGIN);
            ctx.next();
            return;
        }
        String shown = OriginPolicy.shown(origin);
        ProblemResponses.end(ctx.response(), new ProblemException(403, Problems.type("console-origin-not-allowed"), "Origin not allowed",
                "The console feed opens only from the console page that asked for its ticket; " + shown + " is not that page."), problems);
    }
}
