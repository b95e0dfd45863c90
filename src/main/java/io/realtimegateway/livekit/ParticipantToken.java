package io.realtimegateway.livekit;

import java.time.Instant;

/** A signed participant token and what it was issued for. */
record ParticipantToken(String jwt, String serverUrl, String identity, String room, Instant notBefore, Instant expiresAt) {

    @Override
    public String toString() {
        return "ParticipantToken[identity=" + identity + ", room=" + room + ", exp=" + expiresAt + "]"; // never the JWT
    }
}
