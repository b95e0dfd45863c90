package io.realtimegateway.ticket;

/** A ticket that cannot open a session. The message is safe to show: it never quotes the ticket. */
public class TicketRejectedException extends Exception {

    /** Why, as a stable metric tag. */
    public enum Reason {
        MISSING, INVALID, EXPIRED, REPLAYED, MEMORY_FULL
    }

    private final Reason reason;

    TicketRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
