package io.realtimegateway.admission;

/**
 * The steps of {@link Admission}, in the order every door runs them. A door skips the steps it has nothing for (the
 * relay upgrade has no rate limit of its own, a ticket endpoint redeems no ticket), never reorders them.
 * <p>
 * The redemption of a single-use ticket comes after every refusal that does not need it to be spent: the ticket's
 * signature, expiry and claims are verified at {@link #CREDENTIAL}, its type and model bound at {@link #BINDING}, and
 * only then, past the rate limit and the budget, is its id claimed. So a refused request never burns a ticket.
 */
public enum Step {
    /** The relay is enabled and has an OpenAI key ({@link io.realtimegateway.credentials.RelaySwitch}): else 503. */
    RELAY_ON,
    /** The replica is draining: 503 with Retry-After, so the client retries on another replica. */
    DRAINING,
    /** A browser page's {@code Origin} may open this door ({@link io.realtimegateway.auth.OriginPolicy}): else 403. */
    ORIGIN,
    /** Who is asking: a gateway ticket (verified, not yet spent) or an authenticated caller: else 401. */
    CREDENTIAL,
    /** What the request asks for fits what the credential was issued for, and the model is allowed ({@link AllowedModels}). */
    BINDING,
    /** The identity's request rate: 429 with Retry-After. */
    RATE_LIMIT,
    /**
     * The identity's usage budget for today (the relay: the gateway's buffer budget, then the upstream's circuit breaker,
     * {@link io.realtimegateway.relay.UpstreamBreaker}): 429, or 1013 after an upgrade; an open breaker is 503 with
     * Retry-After for a client without an {@code Origin}.
     */
    BUDGET,
    /** The single-use ticket's id is claimed in the state store: a replay is 401. */
    TICKET_REDEMPTION,
    /** A concurrent-session slot (per identity and in total): 429, or 1013 after an upgrade. */
    SESSION_LEASE
}
