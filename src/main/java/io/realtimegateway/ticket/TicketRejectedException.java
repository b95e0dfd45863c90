package io.realtimegateway.ticket;

import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.Problems;

/** A ticket that cannot open a session. The message is safe to show: it never quotes the ticket. */
public class TicketRejectedException extends Exception {

    /** Why, as a stable metric tag. MEMORY_FULL and STATE_UNAVAILABLE are the gateway's fault (503), the rest the client's (401). */
    public enum Reason {
        MISSING, INVALID, EXPIRED, REPLAYED, REVOKED, MEMORY_FULL, STATE_UNAVAILABLE
    }

    private final Reason reason;

    TicketRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The HTTP refusal: 401 with a Bearer challenge for the client's faults, 503 for the gateway's. */
    public ProblemException problem() {
        String challenge = "Bearer realm=\"realtime-gateway\", error=\"invalid_token\", error_description=\"" + getMessage() + "\"";
        ProblemException problem = reason == Reason.MEMORY_FULL || reason == Reason.STATE_UNAVAILABLE
                ? Problems.relayUnavailable(getMessage())
                : new ProblemException(401, Problems.type("unauthorized"), "Unauthorized", getMessage());
        return problem.withHeader("WWW-Authenticate", challenge);
    }
}
