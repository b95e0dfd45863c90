package io.realtimegateway.relay;

/**
 * What admission decided for one connection: who it is, which upstream session to open, or why it is refused
 * in-band (an error event then a close, which browsers can see, unlike an HTTP status).
 *
 * @param identity the ticket's caller id (safe to log)
 * @param model the effective model; null for a transcription session
 * @param transcription {@code intent=transcription}
 * @param refusal non-null when the session must be refused after the upgrade
 */
record SessionPlan(String identity, String model, boolean transcription, Refusal refusal) {

    static SessionPlan refused(String identity, Refusal refusal) {
        return new SessionPlan(identity, null, false, refusal);
    }
}
