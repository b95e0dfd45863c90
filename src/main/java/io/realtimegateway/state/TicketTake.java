package io.realtimegateway.state;

/** The outcome of {@link StateStore#takeTicket}. */
public enum TicketTake {
    /** The caller holds the ticket's one session slot now; a previous holder, if any, lost it. */
    TAKEN,
    /** An admin revoked the ticket. */
    REVOKED,
    /** The ticket had no live session for its idle period. */
    IDLE_EXPIRED,
    /** Memory mode only: the bounded memory of reusable tickets is full; refused, never forgotten. */
    MEMORY_FULL
}
