package io.realtimegateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.realtimegateway.problem.Problem;

/** Quarkus REST's own mappers of the role checks answer plain text; the gateway's answer problems. */
class SecurityRefusalsTest {

    private final SecurityRefusals refusals = new SecurityRefusals(new ObjectMapper());

    @Test
    void aMissingRoleIsTheAdminRequiredProblem() {
        Response response = refusals.forbidden(new ForbiddenException());
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getMediaType()).hasToString(Problem.MEDIA_TYPE);
        assertThat(((Problem) response.getEntity()).type()).endsWith("/admin-required");
    }

    @Test
    void anAnonymousIdentityAtARoleCheckIsThe401ProblemWithABearerChallenge() {
        Response response = refusals.unauthorized(new UnauthorizedException());
        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getMediaType()).hasToString(Problem.MEDIA_TYPE);
        assertThat(((Problem) response.getEntity()).type()).endsWith("/unauthorized");
        assertThat(response.getHeaderString("WWW-Authenticate")).isEqualTo("Bearer realm=\"realtime-gateway\"");
    }
}
