package io.realtimegateway.ticket;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Optional body of a ticket request, a subset of OpenAI's {@code client_secrets} request. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientSecretRequest(Session session) {

    /**
     * {@code type} is realtime (default), transcription or live (GPT-Live; implied by a model of {@code GATEWAY_LIVE_MODELS});
     * {@code model} must be allowed for the type (default: the type's first).
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Session(String type, String model) {
    }
}
