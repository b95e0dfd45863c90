package io.realtimegateway.ticket;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The shape of OpenAI's {@code client_secrets} response: the ticket, its expiry (epoch s; a reusable ticket's absolute
 * cap) and the session. A reusable ticket's answer also carries its {@code id} (not a secret: what an admin revokes);
 * a single-use ticket's answer has no {@code id}.
 */
public record ClientSecretResponse(String value, @JsonProperty("expires_at") long expiresAt, Session session,
        @JsonInclude(JsonInclude.Include.NON_NULL) String id) {

    /** The session the ticket opens. */
    public record Session(String type, String model) {
    }
}
