package io.realtimegateway.problem;

import java.util.List;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Every error the HTTP API returns is {@code application/problem+json}. Request fields are checked in code
 * ({@link ProblemException#invalid}), not with Bean Validation: the product carries no validator (it cost ~0.1 s of startup).
 */
class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    static final String TYPE_BASE = ProblemException.TYPE_BASE;

    @ServerExceptionMapper
    Response problem(ProblemException e) {
        Response.ResponseBuilder response = Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(e.toProblem());
        e.headers().forEach(response::header);
        return response.build();
    }

    @ServerExceptionMapper
    Response unreadable(JsonProcessingException e) {
        // Jackson's own message quotes the input, which may carry anything; give the location only.
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return respond(new Problem(TYPE_BASE + "malformed-json", "Malformed JSON body", 400,
                "The request body is not valid JSON for this endpoint" + where + ".", List.of()));
    }

    @ServerExceptionMapper
    Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "HTTP " + status;
        return respond(new Problem(TYPE_BASE + "http-" + status, title, status, e.getMessage(), List.of()));
    }

    @ServerExceptionMapper
    Response unexpected(RuntimeException e) {
        // Log the type only: exception messages from libraries may quote request data.
        LOG.errorf("Unexpected %s while handling a request", e.getClass().getName());
        return respond(new Problem(TYPE_BASE + "internal-error", "Internal error", 500,
                "The gateway failed to handle this request; see its log.", List.of()));
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
