package io.realtimegateway.relay;

import java.time.Duration;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.realtimegateway.auth.Identities;
import io.realtimegateway.state.Lease;
import io.realtimegateway.state.LeaseCaps;
import io.realtimegateway.state.LeaseOutcome;
import io.realtimegateway.state.StateStore;
import io.realtimegateway.state.TicketHolder;
import io.realtimegateway.state.TicketKeep;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * One session's lease, held while it relays: renewed every third of the lease TTL by one periodic timer on the
 * session's event loop (the store answers on the caller's context, so every callback runs there too: no lock), and
 * released on close. A replica that dies stops renewing, and its slots free themselves within the TTL.
 * <p>
 * A renewal that fails because the store cannot answer keeps the session (the relay does not depend on Redis once
 * a session runs). A renewal answered {@code false} means the lease was lost (it expired during an outage, or Redis
 * restarted empty): the holder takes it again, and only when the caps are full by then (another session got the
 * slot meanwhile) is the session ended, so that the caps hold.
 */
public final class SessionLease {

    private static final Logger LOG = Logger.getLogger(SessionLease.class);

    private final Lease lease;
    private final LeaseCaps caps;
    private final StateStore store;
    private final Vertx vertx;
    private final long renewMillis;
    private final TicketHold ticket;
    private long timer = -1;
    private boolean released;

    /**
     * A reusable ticket's live-session slot, kept with the lease: every renewal marks the ticket active, and learns
     * whether a newer connection replaced this session or an admin revoked the ticket (on this replica both are known at
     * once through {@link TicketSessions}; from another replica at the next renewal, a third of the lease TTL).
     */
    record TicketHold(TicketHolder holder, Duration idle, TicketSessions sessions) {
    }

    SessionLease(Lease lease, LeaseCaps caps, StateStore store, Vertx vertx, long renewMillis, TicketHold ticket) {
        this.ticket = ticket;
        this.lease = lease;
        this.caps = caps;
        this.store = store;
        this.vertx = vertx;
        this.renewMillis = renewMillis;
    }

    /** The lease itself (identity and id). */
    Lease lease() {
        return lease;
    }

    /** The reusable ticket's slot this session holds; null for a single-use ticket. */
    TicketHolder ticket() {
        return ticket == null ? null : ticket.holder();
    }

    /**
     * Starts renewing; call on the session's event loop.
     *
     * @param tick also run on every renewal (the session's other periodic upkeep, so one timer serves both)
     * @param lost run when the lease is lost and cannot be taken again
     */
    public void keep(Runnable tick, Runnable lost) {
        keep(tick, lost, ended -> {
        });
    }

    /**
     * As {@link #keep(Runnable, Runnable)}, for a session that may hold a reusable ticket's slot.
     *
     * @param ticketEnded run on the session's context when the ticket's slot went to a newer connection
     *        ({@link TicketKeep#REPLACED}) or the ticket was revoked ({@link TicketKeep#REVOKED})
     */
    void keep(Runnable tick, Runnable lost, Consumer<TicketKeep> ticketEnded) {
        if (ticket != null) {
            Context context = vertx.getOrCreateContext();
            ticket.sessions().opened(ticket.holder(), ended -> context.runOnContext(v -> ticketEnded.accept(ended)));
        }
        timer = vertx.setPeriodic(renewMillis, id -> {
            if (!released) {
                renew(lost);
                keepTicket(ticketEnded);
                tick.run();
            }
        });
    }

    private void keepTicket(Consumer<TicketKeep> ticketEnded) {
        if (ticket == null) {
            return;
        }
        store.keepTicket(ticket.holder(), ticket.idle()).subscribe().with(kept -> {
            if (kept != TicketKeep.HELD && !released) {
                ticketEnded.accept(kept);
            }
        }, failure -> LOG.debugf("Reusable ticket of a session of %s not kept (%s); the session goes on", Identities.loggable(lease.identity()),
                failure.getMessage()));
    }

    private void renew(Runnable lost) {
        store.renewLease(lease).subscribe().with(held -> {
            if (!held && !released) {
                reacquire(lost);
            }
        }, failure -> LOG.debugf("Lease of a session of %s not renewed (%s); the session goes on", Identities.loggable(lease.identity()), failure.getMessage()));
    }

    private void reacquire(Runnable lost) {
        store.acquireLease(lease, caps).subscribe().with(outcome -> {
            if (released) {
                release(); // closed while acquiring: do not leave the slot taken
            } else if (outcome == LeaseOutcome.GRANTED) {
                LOG.infof("Lease of a session of %s was lost (expired or Redis restarted) and is taken again", Identities.loggable(lease.identity()));
            } else {
                LOG.warnf("Lease of a session of %s was lost and its slot is taken (%s): ending the session", Identities.loggable(lease.identity()), outcome);
                lost.run();
            }
        }, failure -> LOG.debugf("Lost lease of %s not taken again (%s); retrying at the next renewal", Identities.loggable(lease.identity()), failure.getMessage()));
    }

    /** Frees the slot and stops renewing; safe to call more than once. */
    public void release() {
        released = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        store.releaseLease(lease).subscribe().with(done -> {
        }, failure -> LOG.debugf("Lease of %s not released (%s); it expires by itself", Identities.loggable(lease.identity()), failure.getMessage()));
        if (ticket != null) {
            ticket.sessions().closed(ticket.holder());
            store.releaseTicket(ticket.holder(), ticket.idle()).subscribe().with(done -> {
            }, failure -> LOG.debugf("Reusable ticket of %s not released (%s); the next connection takes it over", Identities.loggable(lease.identity()),
                    failure.getMessage()));
        }
    }
}
