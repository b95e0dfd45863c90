package io.realtimegateway.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An RFC 9457 {@code application/problem+json} body, plus field errors where they apply. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One rejected request field: its JSON name and what is wrong with it. */
    @RegisterForReflection
    public record FieldError(String field, String message) {
    }
}
