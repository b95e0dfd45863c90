package io.realtimegateway.ticket;

/** A ticket that cannot open a session. The message is safe to show: it never quotes the ticket. */
public class TicketRejectedException extends Exception {

    /** Why, as a stable metric tag. MEMORY_FULL and STATE_UNAVAILABLE are the gateway's fault (503), the rest the client's (401). */
    public enum Reason {
        MISSING, INVALID, EXPIRED, REPLAYED, MEMORY_FULL, STATE_UNAVAILABLE
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
