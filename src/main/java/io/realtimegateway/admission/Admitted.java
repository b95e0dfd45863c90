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
 * @param ticket the ticket a ticket door redeemed (its {@link Ticket#reusable()} flag and {@link Ticket#identity()});
 *        null for a caller door and when refused before the credential
 */
public record Admitted(String identity, Ticket.Type type, String model, SessionLease lease, Denial denial, Ticket ticket) {

    static Admitted refused(String identity, Denial denial) {
        return new Admitted(identity, null, null, null, denial, denial.ticket());
    }

    /** Whether a reusable (backend) ticket opened this session; false for single-use tickets and caller doors. */
    public boolean reusable() {
        return ticket != null && ticket.reusable();
    }
}
