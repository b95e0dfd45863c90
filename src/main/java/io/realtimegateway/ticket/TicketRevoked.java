package io.realtimegateway.ticket;

/**
 * A CDI event: an admin revoked the reusable ticket with this id. The relay of this replica ends its live session at
 * once; other replicas' sessions end at their next renewal, when the state store answers that it was revoked.
 */
public record TicketRevoked(String ticketId) {
}
