package io.realtimegateway.problem;

import java.util.Collection;
import java.util.List;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * Every error the HTTP API returns is {@code application/problem+json}. Request fields are checked in code
 * ({@link ProblemException#invalid}), not with Bean Validation: the product carries no validator (it cost ~0.1 s of startup).
 */
class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    Response problem(ProblemException e) {
        Response.ResponseBuilder response = Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(e.toProblem());
        e.headers().forEach(response::header);
        return response.build();
    }

    /**
     * Well-formed JSON with a value of the wrong type (a number for {@code room_name}, an array for the body).
     * Without this mapper Quarkus answers an empty 400; the field errors have the shape of the validation errors.
     */
    @ServerExceptionMapper
    Response mismatched(MismatchedInputException e) {
        String field = fieldPath(e.getPath());
        String expected = "expected " + describe(e.getTargetType());
        return respond(ProblemException.invalid(List.of(new Problem.FieldError(field, expected))).toProblem());
    }

    @ServerExceptionMapper
    Response unreadable(JsonProcessingException e) {
        // Jackson's own message quotes the input, which may carry anything; give the location only.
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return respond(new Problem(Problems.type("malformed-json"), "Malformed JSON body", 400,
                "The request body is not valid JSON for this endpoint" + where + ".", List.of()));
    }

    @ServerExceptionMapper
    Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "HTTP " + status;
        return respond(new Problem(Problems.type("http-" + status), title, status, e.getMessage(), List.of()));
    }

    @ServerExceptionMapper
    Response unexpected(RuntimeException e) {
        // Log the type only: exception messages from libraries may quote request data.
        LOG.errorf("Unexpected %s while handling a request", e.getClass().getName());
        return respond(new Problem(Problems.type("internal-error"), "Internal error", 500,
                "The gateway failed to handle this request; see its log.", List.of()));
    }

    /** {@code room_config.agents[0].agent_name}; {@code body} for the document itself. */
    static String fieldPath(List<JsonMappingException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                out.append(out.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.length() == 0 ? "body" : out.toString();
    }

    /** The JSON kind a Java target type is read from, in the words a client developer uses. */
    static String describe(Class<?> type) {
        if (type == null) {
            return "another JSON type";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class || type.isEnum()) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "a boolean";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
