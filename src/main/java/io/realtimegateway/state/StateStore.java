package io.realtimegateway.state;

import java.time.Duration;
import java.time.LocalDate;

import io.smallrye.mutiny.Uni;

/**
 * The gateway's shared state: single-use claims (tickets), reusable tickets' live session and revocation, session leases, rate-limit counters and per-day usage.
 * {@code memory} keeps it in this process; {@code redis} shares it between replicas. Every operation is atomic in
 * both. Results are non-blocking: callers on an event loop subscribe, and get the result back on their own Vert.x
 * context; worker threads may {@code await()}. When the store cannot answer (Redis down, timed out, refused our
 * credentials) the {@link Uni} fails with {@link StateUnavailableException}, and callers fail closed.
 */
public interface StateStore {

    /** {@code memory} or {@code redis}, for logs and diagnostics. */
    String kind();

    /**
     * Claims {@code id} once: the first claim within {@code ttl} gets {@link Claim#CLAIMED}, every later one
     * {@link Claim#ALREADY_CLAIMED}. The id is forgotten after {@code ttl}.
     */
    Uni<Claim> claimOnce(String id, Duration ttl);

    /**
     * Takes a reusable ticket's one live-session slot for {@code holder}, replacing any holder before it, unless the
     * ticket was {@link #revokeTicket revoked} ({@link TicketTake#REVOKED}) or has been idle (no live session) for
     * {@code idle} ({@link TicketTake#IDLE_EXPIRED}). Idle is counted from the last time a holder took, kept or released
     * it, or from {@code idleSinceMillis} (epoch ms, its issue time) when it was never taken.
     */
    Uni<TicketTake> takeTicket(TicketHolder holder, long idleSinceMillis, Duration idle);

    /**
     * Marks the holder's session active now: {@link TicketKeep#HELD} while it holds the slot (taking it again when the
     * store forgot it), {@link TicketKeep#REPLACED} when another holder took it, {@link TicketKeep#REVOKED} once revoked.
     */
    Uni<TicketKeep> keepTicket(TicketHolder holder, Duration idle);

    /** The holder's session ended: the slot is free and the ticket's idle period starts now. A no-op for a holder replaced. */
    Uni<Void> releaseTicket(TicketHolder holder, Duration idle);

    /**
     * Revokes the ticket for {@code ttl} (longer than it can live): every later take answers {@link TicketTake#REVOKED},
     * and its holder's next keep {@link TicketKeep#REVOKED}. Fails with {@link StateUnavailableException} when it cannot
     * be stored (memory mode: the bounded memory is full).
     */
    Uni<Void> revokeTicket(String ticketId, Duration ttl);

    /**
     * Takes a session slot for {@code lease}, if the identity holds fewer than {@code caps.perIdentity()} leases, its
     * caller fewer than {@code caps.perCaller()} (when positive) and all identities together fewer than {@code caps.total()}.
     * The lease expires after {@code gateway.state.lease-ttl}
     * unless {@link #renewLease renewed}. Acquiring a lease already held renews it.
     */
    Uni<LeaseOutcome> acquireLease(Lease lease, LeaseCaps caps);

    /** Extends a held lease by the lease TTL; {@code false} when it was lost (expired or released) and is not held any more. */
    Uni<Boolean> renewLease(Lease lease);

    /** Frees the slot; releasing a lease that is not held is a no-op. */
    Uni<Void> releaseLease(Lease lease);

    /**
     * Counts one request of {@code caller} against {@code limit} (a fixed window that starts with the caller's first
     * request in it). Requests over the limit are refused until the window ends.
     */
    Uni<RateDecision> hit(String bucket, String caller, RateLimit limit);

    /** Adds {@code delta} to the identity's usage of that UTC day and returns the new totals. */
    Uni<Usage> addUsage(String identity, LocalDate day, Usage delta);

    /** The identity's usage of that UTC day (all zero when none was recorded). */
    Uni<Usage> usage(String identity, LocalDate day);

    /** Whether the identity may still spend tokens on that UTC day under a budget of {@code tokensPerDay}. */
    default Uni<BudgetDecision> budget(String identity, LocalDate day, long tokensPerDay) {
        return usage(identity, day).map(used -> BudgetDecision.of(used.billableTokens(), tokensPerDay, day));
    }
}
