package io.realtimegateway.relay;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.realtimegateway.state.TicketHolder;
import io.realtimegateway.state.TicketKeep;
import io.realtimegateway.ticket.TicketRevoked;

/**
 * This replica's live sessions by reusable ticket id, so that replacement and revocation end a session here at once
 * rather than at its next renewal: a new connection with the ticket ends the one it replaces, and a revocation
 * ({@link TicketRevoked}) ends the ticket's session. A session on another replica learns both from the state store at
 * its next renewal. One entry per live session with a reusable ticket, removed as it closes.
 */
@ApplicationScoped
class TicketSessions {

    private final ConcurrentHashMap<String, Held> live = new ConcurrentHashMap<>();

    private record Held(String holder, Consumer<TicketKeep> end) {
    }

    /** A session took the ticket's slot: the one that held it on this replica, if any, ends as replaced. */
    void opened(TicketHolder holder, Consumer<TicketKeep> end) {
        Held previous = live.put(holder.ticketId(), new Held(holder.holder(), end));
        if (previous != null && !previous.holder().equals(holder.holder())) {
            previous.end().accept(TicketKeep.REPLACED);
        }
    }

    /** The session closed; a newer session's entry for the same ticket stays. */
    void closed(TicketHolder holder) {
        live.computeIfPresent(holder.ticketId(), (id, held) -> held.holder().equals(holder.holder()) ? null : held);
    }

    void revoked(@Observes TicketRevoked revoked) {
        Held held = live.remove(revoked.ticketId());
        if (held != null) {
            held.end().accept(TicketKeep.REVOKED);
        }
    }
}
