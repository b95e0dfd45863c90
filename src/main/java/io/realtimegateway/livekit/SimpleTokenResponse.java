package io.realtimegateway.livekit;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Answer of {@code GET /api/livekit-token?room=&username=}. */
@RegisterForReflection
public record SimpleTokenResponse(
        String token,
        @JsonProperty("server_url") String serverUrl,
        @JsonProperty("expires_in") long expiresIn,
        String identity,
        String room) {
}
