package io.realtimegateway.ticket;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Optional body of a ticket request, a subset of OpenAI's {@code client_secrets} request, plus the gateway's own
 * {@code identity} (the end user or conversation, e.g. a LiveKit room) and {@code reusable} (one conversation, one live
 * session at a time; API-key callers only).
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientSecretRequest(Session session, String identity, Boolean reusable) {

    /** {@code type} is realtime (default) or transcription; {@code model} must be allowed (default: the first). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Session(String type, String model) {
    }
}
