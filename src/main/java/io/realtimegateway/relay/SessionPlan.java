package io.realtimegateway.relay;

/**
 * What admission decided for one connection that relays: who it is and which upstream session to open.
 *
 * @param identity what caps count against: the ticket's caller id, or {@code <caller>/<identity>} (safe to log)
 * @param model the effective model; null for a transcription session
 * @param transcription {@code intent=transcription}
 * @param trusted opened with a reusable ticket, which only API-key callers (backends) get: its client may add
 *        instructions after the server's ({@link RelayPolicy})
 */
record SessionPlan(String identity, String model, boolean transcription, boolean trusted) {

    /** A session of a single-use ticket. */
    SessionPlan(String identity, String model, boolean transcription) {
        this(identity, model, transcription, false);
    }
}
