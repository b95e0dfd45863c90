package io.realtimegateway.state;

/**
 * A reusable ticket's live session, as the store keeps it: the ticket id (its JWT id) and the holder, an id unique
 * across replicas for one session (e.g. a random UUID). Neither is a secret; both end up in Redis keys and values.
 */
public record TicketHolder(String ticketId, String holder) {
}
