package io.realtimegateway.relay;

import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.realtime.RealtimeConfig;
import io.realtimegateway.state.Lease;
import io.realtimegateway.state.LeaseCaps;
import io.realtimegateway.state.StateConfig;
import io.realtimegateway.state.StateStore;
import io.realtimegateway.state.TicketHolder;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Concurrent-session caps, per identity, per caller and in total, as leases in the {@link StateStore}: shared by every replica
 * in redis mode, this process's in memory mode. Acquisition is one atomic store operation and never blocks the
 * event loop; the holder renews its lease on a timer and releases it on close ({@link SessionLease}). Relayed
 * sessions and WebRTC calls take slots alike.
 */
@ApplicationScoped
public class SessionLimiter {

    private final StateStore store;
    private final LeaseCaps caps;
    private final long renewMillis;
    private final Vertx vertx;
    private final TicketSessions tickets;
    private final Duration ticketIdle;

    SessionLimiter(RealtimeConfig config, StateConfig state, StateStore store, Vertx vertx, TicketSessions tickets) {
        this.store = store;
        this.tickets = tickets;
        this.ticketIdle = config.reusableTicketIdle();
        this.caps = new LeaseCaps(config.maxSessionsPerIdentity(), config.maxSessionsPerCaller(), config.maxSessions());
        // A third of the TTL: two renewals can be lost (a slow Redis, a busy loop) before the lease expires.
        this.renewMillis = Math.max(10, state.leaseTtl().toMillis() / 3);
        this.vertx = vertx;
    }

    /** A granted lease, or the cap that was hit ({@link RelayMetrics.Refused#MAX_SESSIONS}, {@code _PER_IDENTITY} or {@code _PER_CALLER}). */
    public record Slot(SessionLease lease, RelayMetrics.Refused cap) {
    }

    /** Takes a slot for {@code identity}, a caller's own session without a reusable ticket: the identity is the caller. */
    public Uni<Slot> acquire(String identity) {
        return acquire(identity, identity, null);
    }

    /** What a session cap's refusal says, over HTTP (the calls door) and in-band alike. */
    public static String capMessage(RelayMetrics.Refused cap, RealtimeConfig config) {
        return switch (cap) {
            case MAX_SESSIONS -> "The gateway is at its limit of " + config.maxSessions() + " concurrent Realtime sessions; try again later.";
            case MAX_SESSIONS_PER_CALLER -> "This caller already has " + config.maxSessionsPerCaller()
                    + " concurrent Realtime sessions over all its identities, the limit.";
            default -> "This identity already has " + config.maxSessionsPerIdentity() + " concurrent Realtime sessions, the limit.";
        };
    }

    /**
     * Takes a slot for {@code identity}, counted also against {@code caller}'s total; {@code ticket}, the holder of a
     * reusable ticket's live-session slot (null for a single-use ticket), is kept and released with the lease, and
     * released at once when no slot is granted. Fails with {@link io.realtimegateway.state.StateUnavailableException}
     * when the store cannot answer (callers refuse with 503).
     */
    public Uni<Slot> acquire(String identity, String caller, TicketHolder ticket) {
        Lease lease = new Lease(identity, caller, UUID.randomUUID().toString());
        return store.acquireLease(lease, caps).map(outcome -> switch (outcome) {
            case GRANTED -> new Slot(new SessionLease(lease, caps, store, vertx, renewMillis, ticket == null ? null
                    : new SessionLease.TicketHold(ticket, ticketIdle, tickets)), null);
            case IDENTITY_FULL -> new Slot(null, RelayMetrics.Refused.MAX_SESSIONS_PER_IDENTITY);
            case CALLER_FULL -> new Slot(null, RelayMetrics.Refused.MAX_SESSIONS_PER_CALLER);
            case TOTAL_FULL -> new Slot(null, RelayMetrics.Refused.MAX_SESSIONS);
        }).invoke(slot -> {
            if (slot.lease() == null && ticket != null) {
                releaseTicket(ticket);
            }
        }).onFailure().invoke(failure -> {
            if (ticket != null) {
                releaseTicket(ticket);
            }
        });
    }

    private void releaseTicket(TicketHolder ticket) {
        store.releaseTicket(ticket, ticketIdle).subscribe().with(done -> {
        }, failure -> {
            // The slot's holder just stops renewing: the next connection takes it over anyway.
        });
    }
}
