package io.realtimegateway.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 {@code application/problem+json} body, plus field errors where they apply, and for an admission refusal
 * its {@code reason}: the same string as the {@code reason} of {@code gateway_realtime_refusals_total} and of the
 * refusal's log line (e.g. {@code ticket_replayed}), so a client can report what an operator can look up.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors, String reason) {

    /** A problem that is no admission refusal (no {@code reason}). */
    public Problem(String type, String title, int status, String detail, List<FieldError> errors) {
        this(type, title, status, detail, errors, null);
    }

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One rejected request field: its JSON name and what is wrong with it. */
    @RegisterForReflection
    public record FieldError(String field, String message) {
    }
}
