package io.realtimegateway.ticket;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The shape of OpenAI's {@code client_secrets} response: the ticket, its expiry (epoch s) and the session. */
public record ClientSecretResponse(String value, @JsonProperty("expires_at") long expiresAt, Session session) {

    /** The session the ticket opens. */
    public record Session(String type, String model) {
    }
}
