package io.realtimegateway.admission;

import io.realtimegateway.relay.SessionLease;
import io.realtimegateway.ticket.Ticket;

/**
 * What {@link Admission} let in.
 *
 * @param identity who: the ticket's caller id or the caller's (safe to log via {@code Identities.loggable})
 * @param type the session type
 * @param model the effective model; null for a relay transcription session
 * @param lease the concurrent-session slot, for doors that hold one; null otherwise and when refused
 * @param denial non-null when an in-band door must refuse after the upgrade (already counted)
 */
public record Admitted(String identity, Ticket.Type type, String model, SessionLease lease, Denial denial) {

    static Admitted refused(String identity, Denial denial) {
        return new Admitted(identity, null, null, null, denial);
    }
}
