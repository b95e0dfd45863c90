package io.realtimegateway.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * The problem+json answer for plain Vert.x routes (the relay's upgrade), where the JAX-RS mappers in
 * {@link ProblemMappers} do not run: the same body, status and headers.
 */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static void end(HttpServerResponse response, ProblemException e, ObjectMapper mapper) {
        Problem problem = e.toProblem();
        String body;
        try {
            body = mapper.writeValueAsString(problem);
        } catch (JsonProcessingException failure) {
            body = "{\"status\":" + problem.status() + "}";
        }
        e.headers().forEach(response::putHeader);
        response.setStatusCode(e.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(body);
    }
}
