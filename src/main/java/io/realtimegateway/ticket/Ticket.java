package io.realtimegateway.ticket;

/**
 * A redeemed relay ticket.
 *
 * @param id the JWT id, remembered to refuse replays
 * @param callerId who asked for it (for per-identity caps and logs)
 * @param model the model chosen when it was issued
 * @param expiresAt epoch seconds
 */
public record Ticket(String id, String callerId, String model, long expiresAt) {
}
