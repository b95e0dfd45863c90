package io.realtimegateway.openai;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.realtimegateway.auth.OriginPolicy;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.ProblemResponses;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

/**
 * The page check of the SDP exchange: a browser POST (or its CORS preflight) to {@code /v1/realtime/calls} from an
 * origin the gateway does not allow gets 403 problem+json ({@link OriginPolicy#callRefusal}) before the ticket is
 * looked at. A Vert.x route just ahead of Quarkus's CORS filter, which would otherwise answer a bare 403; allowed
 * requests go on to that filter (CORS headers, preflights) and then to {@link RealtimeCallResource}. GPT-Live's WebRTC
 * create ({@code POST /v1/live/sessions}) is guarded the same way, through {@link #guardPosts}.
 */
@ApplicationScoped
public class CallOrigins {

    private final OriginPolicy origins;
    private final ObjectMapper mapper;

    CallOrigins(OriginPolicy origins, ObjectMapper mapper) {
        this.origins = origins;
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        guard(router.route(RealtimeCallResource.PATH));
    }

    /**
     * The same check for the POSTs (and their CORS preflights) of another browser-facing SDP exchange; other methods
     * on the path (a WebSocket upgrade) are left to their own route.
     */
    public void guardPosts(Router router, String path) {
        guard(router.route(path).method(HttpMethod.POST).method(HttpMethod.OPTIONS));
    }

    private void guard(Route route) {
        route.order(OriginPolicy.RELAY_ROUTE_ORDER).handler(ctx -> {
            Optional<ProblemException> refused = origins.callRefusal(ctx.request());
            if (refused.isPresent()) {
                ProblemResponses.end(ctx.response(), refused.get(), mapper);
            } else {
                ctx.next();
            }
        });
    }
}
