package io.realtimegateway.relay;

/**
 * What admission decided for one connection that relays: who it is and which upstream session to open.
 *
 * @param identity the ticket's caller id (safe to log)
 * @param model the effective model; null for a transcription session
 * @param transcription {@code intent=transcription}
 */
record SessionPlan(String identity, String model, boolean transcription) {
}
