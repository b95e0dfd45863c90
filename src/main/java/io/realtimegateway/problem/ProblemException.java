package io.realtimegateway.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Thrown by services to answer with a problem+json body. The detail is shown to the caller, so it must
 * never carry a secret, a token or a ticket.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String reason;

    public ProblemException(int status, String type, String title, String detail) {
        this(status, type, title, detail, List.of());
    }

    public ProblemException(int status, String type, String title, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    /** The base of every problem {@code type} URI. */
    public static final String TYPE_BASE = "https://realtime-gateway.dev/problems/";

    /** 400 with field errors (snake_case JSON field names). */
    public static ProblemException invalid(List<Problem.FieldError> errors) {
        return new ProblemException(400, TYPE_BASE + "invalid-request", "Invalid request",
                "The request has " + errors.size() + " invalid field(s).", errors);
    }

    /** 401 with {@code WWW-Authenticate: Bearer}; the detail must never quote the presented credential. */
    public static ProblemException unauthorized(String detail, String bearerError) {
        ProblemException e = new ProblemException(401, TYPE_BASE + "unauthorized", "Unauthorized", detail);
        return e.withHeader("WWW-Authenticate", bearerError == null
                ? "Bearer realm=\"realtime-gateway\""
                : "Bearer realm=\"realtime-gateway\", error=\"" + bearerError + "\"");
    }

    /** Adds a response header (e.g. {@code WWW-Authenticate}). */
    public ProblemException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /**
     * Names the admission refusal this problem answers: the body's {@code reason}, the same string the refusal is
     * counted and logged under (a fixed set, never client text).
     */
    public ProblemException withReason(String reason) {
        this.reason = reason;
        return this;
    }

    /** The admission refusal's reason; null for any other problem. */
    public String reason() {
        return reason;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    public Problem toProblem() {
        return new Problem(type, title, status, getMessage(), errors, reason);
    }

    public int status() {
        return status;
    }
}
