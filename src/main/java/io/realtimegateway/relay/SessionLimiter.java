package io.realtimegateway.relay;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.realtime.RealtimeConfig;
import io.realtimegateway.state.Lease;
import io.realtimegateway.state.LeaseCaps;
import io.realtimegateway.state.StateConfig;
import io.realtimegateway.state.StateStore;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Concurrent-session caps, per identity and in total, as leases in the {@link StateStore}: shared by every replica
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

    SessionLimiter(RealtimeConfig config, StateConfig state, StateStore store, Vertx vertx) {
        this.store = store;
        this.caps = new LeaseCaps(config.maxSessionsPerIdentity(), config.maxSessions());
        // A third of the TTL: two renewals can be lost (a slow Redis, a busy loop) before the lease expires.
        this.renewMillis = Math.max(10, state.leaseTtl().toMillis() / 3);
        this.vertx = vertx;
    }

    /** A granted lease, or the cap that was hit ({@link RelayMetrics.Refused#MAX_SESSIONS} or {@code _PER_IDENTITY}). */
    public record Slot(SessionLease lease, RelayMetrics.Refused cap) {
    }

    /**
     * Takes a slot for {@code identity}. Fails with {@link io.realtimegateway.state.StateUnavailableException} when the
     * store cannot answer (callers refuse with 503).
     */
    public Uni<Slot> acquire(String identity) {
        Lease lease = new Lease(identity, UUID.randomUUID().toString());
        return store.acquireLease(lease, caps).map(outcome -> switch (outcome) {
            case GRANTED -> new Slot(new SessionLease(lease, caps, store, vertx, renewMillis), null);
            case IDENTITY_FULL -> new Slot(null, RelayMetrics.Refused.MAX_SESSIONS_PER_IDENTITY);
            case TOTAL_FULL -> new Slot(null, RelayMetrics.Refused.MAX_SESSIONS);
        });
    }
}
