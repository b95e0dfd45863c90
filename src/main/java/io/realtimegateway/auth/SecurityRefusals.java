package io.realtimegateway.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.ManagementInterface;
import io.realtimegateway.problem.Problem;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.ProblemResponses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The refusals of Quarkus Security's role checks as problems. An authenticated identity without the role a resource or
 * route declares is refused with a 403 problem: today the only role a credential can lack is {@link Roles#ADMIN}.
 * Quarkus throws {@link ForbiddenException} in Quarkus REST ({@code @RolesAllowed}) and fails the route of an HTTP
 * permission (the console) with it; both answer the same. A refused or missing credential at a door is answered by
 * {@link GatewayAuthMechanism}; an anonymous identity at a role-checked method off every door (which no path of the
 * gateway is today) gets the 401 problem, where Quarkus REST's own mapper would answer a plain-text 401.
 */
@ApplicationScoped
class SecurityRefusals {

    private final ObjectMapper mapper;

    SecurityRefusals(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @ServerExceptionMapper
    Response forbidden(ForbiddenException e) {
        ProblemException refusal = AdminAuthenticator.adminRequired();
        return Response.status(refusal.status()).type(Problem.MEDIA_TYPE).entity(refusal.toProblem()).build();
    }

    @ServerExceptionMapper
    Response unauthorized(UnauthorizedException e) {
        ProblemException refusal = ProblemException.unauthorized("This endpoint requires an 'Authorization: Bearer <credential>' header.", null);
        Response.ResponseBuilder response = Response.status(refusal.status()).type(Problem.MEDIA_TYPE).entity(refusal.toProblem());
        refusal.headers().forEach(response::header);
        return response.build();
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
