package io.realtimegateway.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.ForbiddenException;
import io.quarkus.vertx.http.ManagementInterface;
import io.realtimegateway.problem.Problem;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.ProblemResponses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * An authenticated identity without the role a resource or route declares is refused with a 403 problem: today the
 * only role a credential can lack is {@link Roles#ADMIN}. Quarkus throws {@link ForbiddenException} in Quarkus REST
 * ({@code @RolesAllowed}) and fails the route of an HTTP permission (the console) with it; both answer the same.
 * Unauthenticated requests never get here: {@link GatewayAuthMechanism} answers them.
 */
@ApplicationScoped
class ForbiddenRefusals {

    private final ObjectMapper mapper;

    ForbiddenRefusals(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @ServerExceptionMapper
    Response forbidden(ForbiddenException e) {
        ProblemException refusal = AdminAuthenticator.adminRequired();
        return Response.status(refusal.status()).type(Problem.MEDIA_TYPE).entity(refusal.toProblem()).build();
    }

    void onPublicPort(@Observes Router router) {
        router.route().failureHandler(this::failed);
    }

    void onManagementInterface(@Observes ManagementInterface management) {
        management.router().route().failureHandler(this::failed);
    }

    private void failed(RoutingContext context) {
        if (context.failure() instanceof ForbiddenException && !context.response().ended()) {
            ProblemResponses.end(context.response(), AdminAuthenticator.adminRequired(), mapper);
        } else {
            context.next();
        }
    }
}
