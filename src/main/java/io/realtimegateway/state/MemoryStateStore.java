package io.realtimegateway.state;

import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.smallrye.mutiny.Uni;

/**
 * {@code GATEWAY_STATE=memory}: the state of this one process. Same semantics as Redis (TTLs, fixed windows,
 * atomic operations), so that a single replica behaves exactly as a fleet of one. The claim memory is bounded and
 * fails closed when full ({@link Claim#MEMORY_FULL}): forgetting an unexpired ticket id would allow its replay.
 * <p>
 * One class (about 300 lines) because it mirrors {@link RedisStateStore} operation for operation, against the one
 * {@link StateStore} contract both are tested with; each part is a few lines over shared maps and one clock.
 */
final class MemoryStateStore implements StateStore {

    private static final int SWEEP_EVERY = 128;

    private final int claimCapacity;
    private final long leaseTtlMillis;
    private final long usageRetentionDays;
    private final LongSupplier clock;
    private final AtomicLong operations = new AtomicLong();
    private final ConcurrentHashMap<String, Long> claims = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<DayKey, Usage> usage = new ConcurrentHashMap<>();
    /** reusable ticket id -> its slot; guarded by itself (take, keep and revoke read and change one entry at once). */
    private final Map<String, TicketSlot> tickets = new HashMap<>();
    /** lease id -> its holder; guarded by itself, since caps need the total and the identity's count at once. */
    private final Map<String, Held> leases = new HashMap<>();
    private final Map<String, Integer> leasesPerIdentity = new HashMap<>();
    private final Map<String, Integer> leasesPerCaller = new HashMap<>();

    MemoryStateStore(int claimCapacity, Duration leaseTtl, Duration usageRetention, LongSupplier clock) {
        this.claimCapacity = claimCapacity;
        this.leaseTtlMillis = leaseTtl.toMillis();
        this.usageRetentionDays = Math.max(1, usageRetention.toDays());
        this.clock = clock;
    }

    @Override
    public String kind() {
        return "memory";
    }

    @Override
    public Uni<Claim> claimOnce(String id, Duration ttl) {
        return Uni.createFrom().item(() -> claim(id, ttl));
    }

    private Claim claim(String id, Duration ttl) {
        long now = clock.getAsLong();
        if (operations.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep(now);
        }
        if (claims.size() >= claimCapacity) {
            sweep(now);
            if (claims.size() >= claimCapacity) {
                return Claim.MEMORY_FULL;
            }
        }
        long expiresAt = now + ttl.toMillis();
        boolean[] claimed = {false};
        claims.compute(id, (key, existing) -> {
            if (existing != null && existing > now) {
                return existing;
            }
            claimed[0] = true;
            return expiresAt;
        });
        return claimed[0] ? Claim.CLAIMED : Claim.ALREADY_CLAIMED;
    }

    @Override
    public Uni<TicketTake> takeTicket(TicketHolder holder, long idleSinceMillis, Duration idle) {
        return Uni.createFrom().item(() -> {
            long now = clock.getAsLong();
            synchronized (tickets) {
                TicketSlot slot = tickets.get(holder.ticketId());
                if (slot != null && slot.revokedUntil > now) {
                    return TicketTake.REVOKED;
                }
                long activeAt = slot != null ? slot.activeAt : idleSinceMillis;
                if (now - activeAt >= idle.toMillis()) {
                    return TicketTake.IDLE_EXPIRED;
                }
                if (slot == null && !roomForTicket(now)) {
                    return TicketTake.MEMORY_FULL;
                }
                tickets.put(holder.ticketId(), new TicketSlot(holder.holder(), now, now + idle.toMillis(), 0));
                return TicketTake.TAKEN;
            }
        });
    }

    @Override
    public Uni<TicketKeep> keepTicket(TicketHolder holder, Duration idle) {
        return Uni.createFrom().item(() -> {
            long now = clock.getAsLong();
            synchronized (tickets) {
                TicketSlot slot = tickets.get(holder.ticketId());
                if (slot != null && slot.revokedUntil > now) {
                    return TicketKeep.REVOKED;
                }
                if (slot != null && slot.holder != null && !slot.holder.equals(holder.holder())) {
                    return TicketKeep.REPLACED;
                }
                // Bounded even here: a holder's own slot is an entry already counted, or one that must come back.
                tickets.put(holder.ticketId(), new TicketSlot(holder.holder(), now, now + idle.toMillis(), 0));
                return TicketKeep.HELD;
            }
        });
    }

    @Override
    public Uni<Boolean> releaseTicket(TicketHolder holder, Duration idle) {
        return Uni.createFrom().item(() -> {
            long now = clock.getAsLong();
            synchronized (tickets) {
                TicketSlot slot = tickets.get(holder.ticketId());
                if (slot == null || !holder.holder().equals(slot.holder)) {
                    return false;
                }
                tickets.put(holder.ticketId(), new TicketSlot(null, now, now + idle.toMillis(), slot.revokedUntil));
                return true;
            }
        });
    }

    @Override
    public Uni<Void> revokeTicket(String ticketId, Duration ttl) {
        return Uni.createFrom().item(() -> {
            long now = clock.getAsLong();
            synchronized (tickets) {
                TicketSlot slot = tickets.get(ticketId);
                if (slot == null && !roomForTicket(now)) {
                    throw new StateUnavailableException("the memory of reusable tickets is full (" + claimCapacity + "); try again shortly", null);
                }
                long until = now + ttl.toMillis();
                tickets.put(ticketId, new TicketSlot(null, slot == null ? now : slot.activeAt, until, until));
            }
            return null;
        });
    }

    /** Whether one more ticket slot fits (expired ones swept first); call holding the tickets' lock. */
    private boolean roomForTicket(long now) {
        if (tickets.size() < claimCapacity) {
            return true;
        }
        tickets.values().removeIf(slot -> slot.expiresAt <= now);
        return tickets.size() < claimCapacity;
    }

    @Override
    public Uni<LeaseOutcome> acquireLease(Lease lease, LeaseCaps caps) {
        return Uni.createFrom().item(() -> {
            long now = clock.getAsLong();
            synchronized (leases) {
                Held held = leases.get(lease.id());
                if (held != null && held.expiresAt > now) {
                    held.expiresAt = now + leaseTtlMillis;
                    return LeaseOutcome.GRANTED;
                }
                expireLeases(now);
                if (leases.size() >= caps.total()) {
                    return LeaseOutcome.TOTAL_FULL;
                }
                if (leasesPerIdentity.getOrDefault(lease.identity(), 0) >= caps.perIdentity()) {
                    return LeaseOutcome.IDENTITY_FULL;
                }
                if (caps.perCaller() > 0 && leasesPerCaller.getOrDefault(lease.caller(), 0) >= caps.perCaller()) {
                    return LeaseOutcome.CALLER_FULL;
                }
                leases.put(lease.id(), new Held(lease.identity(), lease.caller(), now + leaseTtlMillis));
                leasesPerIdentity.merge(lease.identity(), 1, Integer::sum);
                leasesPerCaller.merge(lease.caller(), 1, Integer::sum);
                return LeaseOutcome.GRANTED;
            }
        });
    }

    @Override
    public Uni<Boolean> renewLease(Lease lease) {
        return Uni.createFrom().item(() -> {
            long now = clock.getAsLong();
            synchronized (leases) {
                Held held = leases.get(lease.id());
                if (held == null || !held.identity.equals(lease.identity())) {
                    return false;
                }
                if (held.expiresAt <= now) {
                    remove(lease.id());
                    return false;
                }
                held.expiresAt = now + leaseTtlMillis;
                return true;
            }
        });
    }

    @Override
    public Uni<Void> releaseLease(Lease lease) {
        return Uni.createFrom().item(() -> {
            synchronized (leases) {
                Held held = leases.get(lease.id());
                if (held != null && held.identity.equals(lease.identity())) {
                    remove(lease.id());
                }
            }
            return null;
        });
    }

    private void expireLeases(long now) {
        leases.entrySet().removeIf(entry -> {
            if (entry.getValue().expiresAt > now) {
                return false;
            }
            forget(entry.getValue());
            return true;
        });
    }

    private void remove(String leaseId) {
        Held held = leases.remove(leaseId);
        if (held != null) {
            forget(held);
        }
    }

    private void forget(Held held) {
        leasesPerIdentity.computeIfPresent(held.identity, (k, n) -> n <= 1 ? null : n - 1);
        leasesPerCaller.computeIfPresent(held.caller, (k, n) -> n <= 1 ? null : n - 1);
    }

    @Override
    public Uni<RateDecision> hit(String bucket, String caller, RateLimit limit) {
        return Uni.createFrom().item(() -> {
            long now = clock.getAsLong();
            if (operations.incrementAndGet() % SWEEP_EVERY == 0) {
                sweep(now);
            }
            Window window = windows.compute(bucket + '\n' + caller, (key, w) -> w == null || w.endsAt <= now
                    ? new Window(now + limit.window().toMillis(), 1)
                    : new Window(w.endsAt, w.count + 1));
            return RateDecision.of(window.count, limit, window.endsAt - now);
        });
    }

    @Override
    public Uni<Usage> addUsage(String identity, LocalDate day, Usage delta) {
        return Uni.createFrom().item(() -> {
            if (operations.incrementAndGet() % SWEEP_EVERY == 0) {
                sweep(clock.getAsLong());
            }
            return usage.merge(new DayKey(identity, day), delta, Usage::plus);
        });
    }

    @Override
    public Uni<Usage> usage(String identity, LocalDate day) {
        return Uni.createFrom().item(() -> usage.getOrDefault(new DayKey(identity, day), Usage.NONE));
    }

    /** Forgets what has expired: claims, finished rate windows and usage older than the retention. */
    private void sweep(long now) {
        for (Iterator<Map.Entry<String, Long>> it = claims.entrySet().iterator(); it.hasNext();) {
            if (it.next().getValue() <= now) {
                it.remove();
            }
        }
        windows.values().removeIf(w -> w.endsAt <= now);
        LocalDate oldest = LocalDate.ofEpochDay(Math.floorDiv(now, 86_400_000L) - usageRetentionDays);
        usage.keySet().removeIf(key -> key.day.isBefore(oldest));
    }

    /**
     * @param holder the live session, null when none
     * @param activeAt when a holder last took, kept or released it (epoch ms)
     * @param expiresAt when the entry may be forgotten: idle over, and any revocation over
     * @param revokedUntil when a revocation ends (0: not revoked)
     */
    private record TicketSlot(String holder, long activeAt, long expiresAt, long revokedUntil) {
    }

    private record Window(long endsAt, long count) {
    }

    private record DayKey(String identity, LocalDate day) {
    }

    private static final class Held {
        final String identity;
        final String caller;
        long expiresAt;

        Held(String identity, String caller, long expiresAt) {
            this.identity = identity;
            this.caller = caller;
            this.expiresAt = expiresAt;
        }
    }
}
