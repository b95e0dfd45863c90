package io.realtimegateway.livekit;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** LiveKit's {@code TokenSourceResponse}: what livekit-client's {@code TokenSource.endpoint} reads. */
@RegisterForReflection
public record TokenSourceResponse(
        @JsonProperty("server_url") String serverUrl,
        @JsonProperty("participant_token") String participantToken) {
}
