package io.realtimegateway.state;

/** The outcome of {@link StateStore#keepTicket}. */
public enum TicketKeep {
    /** Still the ticket's live session (taken again if the store had forgotten it, e.g. Redis restarted empty). */
    HELD,
    /** A newer connection with the same ticket took its slot: this session must end. */
    REPLACED,
    /** An admin revoked the ticket: this session must end. */
    REVOKED
}
