package io.realtimegateway.state;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Response;

/**
 * {@code GATEWAY_STATE=redis}: state shared by every replica. Each operation is one Redis command or one Lua script,
 * so check-and-change is atomic across replicas. Lease and rate-window times come from Redis's own clock
 * ({@code TIME} inside the scripts), so replicas whose clocks differ still agree on expiry.
 * <p>
 * Keys (under {@code gateway.state.key-prefix}, all with a TTL): {@code claim:<id>} (string),
 * {@code {lease}:total}, {@code {lease}:identity:<identity>} and {@code {lease}:caller:<caller>} (sorted sets of lease id
 * by expiry; one hash tag, so a cluster keeps them in one slot), {@code ticket:{<id>}:slot} (hash: holder, active; expires
 * after the idle period) and {@code ticket:{<id>}:revoked} (string; until the ticket could have expired) for reusable
 * tickets, {@code rate:<bucket>:<caller>} (counter), {@code usage:<day>:<identity>} (hash).
 */
final class RedisStateStore implements StateStore {

    /**
     * KEYS: total, identity, caller. ARGV: lease id, ttl ms, per-identity cap, total cap, per-caller cap (0: none).
     * Returns 0 granted, 1 identity full, 2 total full, 3 caller full.
     */
    static final RedisScript ACQUIRE = RedisScript.of("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local ttl = tonumber(ARGV[2])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
            redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
            if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
              if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 2 end
              if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then return 1 end
              if tonumber(ARGV[5]) > 0 and redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[5]) then return 3 end
            end
            for i = 1, 3 do
              redis.call('ZADD', KEYS[i], now + ttl, ARGV[1])
              redis.call('PEXPIRE', KEYS[i], ttl)
            end
            return 0
            """);

    /** KEYS: total, identity, caller. ARGV: lease id, ttl ms. Returns 1 renewed, 0 lost. */
    static final RedisScript RENEW = RedisScript.of("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local ttl = tonumber(ARGV[2])
            local expires = redis.call('ZSCORE', KEYS[2], ARGV[1])
            if (not expires) or tonumber(expires) <= now then
              for i = 1, 3 do redis.call('ZREM', KEYS[i], ARGV[1]) end
              return 0
            end
            for i = 1, 3 do
              redis.call('ZADD', KEYS[i], now + ttl, ARGV[1])
              redis.call('PEXPIRE', KEYS[i], ttl)
            end
            return 1
            """);

    /** KEYS: total, identity, caller. ARGV: lease id. */
    static final RedisScript RELEASE = RedisScript.of("""
            if redis.call('ZREM', KEYS[2], ARGV[1]) == 1 then
              redis.call('ZREM', KEYS[1], ARGV[1])
              redis.call('ZREM', KEYS[3], ARGV[1])
            end
            return 0
            """);

    /**
     * KEYS: slot, revoked. ARGV: holder, idle-since ms, idle ms. Returns 0 taken, 1 revoked, 2 idle expired. The slot
     * expires after the idle period, so a missing slot means never taken or idle since: {@code idle-since} decides.
     */
    static final RedisScript TAKE_TICKET = RedisScript.of("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local idle = tonumber(ARGV[3])
            if redis.call('EXISTS', KEYS[2]) == 1 then return 1 end
            local active = tonumber(redis.call('HGET', KEYS[1], 'active') or ARGV[2])
            if now - active >= idle then return 2 end
            redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'active', now)
            redis.call('PEXPIRE', KEYS[1], idle)
            return 0
            """);

    /** KEYS: slot, revoked. ARGV: holder, idle ms. Returns 0 held, 1 replaced, 2 revoked. */
    static final RedisScript KEEP_TICKET = RedisScript.of("""
            if redis.call('EXISTS', KEYS[2]) == 1 then return 2 end
            local holder = redis.call('HGET', KEYS[1], 'holder')
            if holder and holder ~= ARGV[1] then return 1 end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'active', now)
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 0
            """);

    /** KEYS: slot. ARGV: holder, idle ms. */
    static final RedisScript RELEASE_TICKET = RedisScript.of("""
            if redis.call('HGET', KEYS[1], 'holder') == ARGV[1] then
              local t = redis.call('TIME')
              redis.call('HDEL', KEYS[1], 'holder')
              redis.call('HSET', KEYS[1], 'active', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 0
            """);

    /** KEYS: slot, revoked. ARGV: ttl ms. */
    static final RedisScript REVOKE_TICKET = RedisScript.of("""
            redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
            redis.call('DEL', KEYS[1])
            return 0
            """);

    /** KEYS: counter. ARGV: window ms. Returns {count, ms left in the window}. */
    static final RedisScript HIT = RedisScript.of("""
            local n = redis.call('INCR', KEYS[1])
            local left = redis.call('PTTL', KEYS[1])
            if n == 1 or left < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
              left = tonumber(ARGV[1])
            end
            return {n, left}
            """);

    /** KEYS: usage hash. ARGV: retention ms, then field/delta pairs. Returns the hash afterwards (HGETALL). */
    static final RedisScript ADD_USAGE = RedisScript.of("""
            for i = 2, #ARGV, 2 do
              redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return redis.call('HGETALL', KEYS[1])
            """);

    /** KEYS: usage hash. */
    static final RedisScript READ_USAGE = RedisScript.of("return redis.call('HGETALL', KEYS[1])");

    private final Supplier<ReactiveRedisDataSource> redis;
    private final StateConfig config;

    RedisStateStore(Supplier<ReactiveRedisDataSource> redis, StateConfig config) {
        this.redis = redis;
        this.config = config;
    }

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public Uni<Claim> claimOnce(String id, Duration ttl) {
        String px = Long.toString(Math.max(1, ttl.toMillis()));
        return guarded("claim", () -> redis.get().execute("SET", key("claim:" + id), "1", "NX", "PX", px))
                .map(reply -> reply == null ? Claim.ALREADY_CLAIMED : Claim.CLAIMED);
    }

    @Override
    public Uni<TicketTake> takeTicket(TicketHolder holder, long idleSinceMillis, Duration idle) {
        return guarded("ticket take", () -> TAKE_TICKET.run(redis.get(), ticketKeys(holder.ticketId()), holder.holder(),
                Long.toString(idleSinceMillis), millis(idle)))
                .map(reply -> switch (reply.toInteger()) {
                    case 0 -> TicketTake.TAKEN;
                    case 1 -> TicketTake.REVOKED;
                    default -> TicketTake.IDLE_EXPIRED;
                });
    }

    @Override
    public Uni<TicketKeep> keepTicket(TicketHolder holder, Duration idle) {
        return guarded("ticket keep", () -> KEEP_TICKET.run(redis.get(), ticketKeys(holder.ticketId()), holder.holder(), millis(idle)))
                .map(reply -> switch (reply.toInteger()) {
                    case 0 -> TicketKeep.HELD;
                    case 1 -> TicketKeep.REPLACED;
                    default -> TicketKeep.REVOKED;
                });
    }

    @Override
    public Uni<Void> releaseTicket(TicketHolder holder, Duration idle) {
        return guarded("ticket release", () -> RELEASE_TICKET.run(redis.get(), ticketKeys(holder.ticketId()).subList(0, 1), holder.holder(),
                millis(idle))).replaceWithVoid();
    }

    @Override
    public Uni<Void> revokeTicket(String ticketId, Duration ttl) {
        return guarded("ticket revoke", () -> REVOKE_TICKET.run(redis.get(), ticketKeys(ticketId), millis(ttl))).replaceWithVoid();
    }

    /** One hash tag per ticket, so a cluster keeps its slot and revocation together for the scripts. */
    private List<String> ticketKeys(String ticketId) {
        return List.of(key("ticket:{" + ticketId + "}:slot"), key("ticket:{" + ticketId + "}:revoked"));
    }

    private static String millis(Duration duration) {
        return Long.toString(Math.max(1, duration.toMillis()));
    }

    @Override
    public Uni<LeaseOutcome> acquireLease(Lease lease, LeaseCaps caps) {
        return guarded("lease acquire", () -> ACQUIRE.run(redis.get(), leaseKeys(lease), lease.id(), ttlMillis(),
                Integer.toString(caps.perIdentity()), Integer.toString(caps.total()), Integer.toString(caps.perCaller())))
                .map(reply -> switch (reply.toInteger()) {
                    case 0 -> LeaseOutcome.GRANTED;
                    case 1 -> LeaseOutcome.IDENTITY_FULL;
                    case 3 -> LeaseOutcome.CALLER_FULL;
                    default -> LeaseOutcome.TOTAL_FULL;
                });
    }

    @Override
    public Uni<Boolean> renewLease(Lease lease) {
        return guarded("lease renew", () -> RENEW.run(redis.get(), leaseKeys(lease), lease.id(), ttlMillis()))
                .map(reply -> reply.toInteger() == 1);
    }

    @Override
    public Uni<Void> releaseLease(Lease lease) {
        return guarded("lease release", () -> RELEASE.run(redis.get(), leaseKeys(lease), lease.id())).replaceWithVoid();
    }

    @Override
    public Uni<RateDecision> hit(String bucket, String caller, RateLimit limit) {
        return guarded("rate limit", () -> HIT.run(redis.get(), List.of(key("rate:" + bucket + ":" + caller)),
                Long.toString(limit.window().toMillis())))
                .map(reply -> RateDecision.of(reply.get(0).toLong(), limit, reply.get(1).toLong()));
    }

    @Override
    public Uni<Usage> addUsage(String identity, LocalDate day, Usage delta) {
        String[] args = new String[1 + 2 * delta.counts().size()];
        args[0] = Long.toString(config.usageRetention().toMillis());
        int i = 1;
        for (var entry : delta.counts().entrySet()) {
            args[i++] = entry.getKey().key();
            args[i++] = Long.toString(entry.getValue());
        }
        return guarded("usage add", () -> ADD_USAGE.run(redis.get(), List.of(usageKey(identity, day)), args))
                .map(RedisStateStore::usageOf);
    }

    @Override
    public Uni<Usage> usage(String identity, LocalDate day) {
        return guarded("usage read", () -> READ_USAGE.run(redis.get(), List.of(usageKey(identity, day)))).map(RedisStateStore::usageOf);
    }

    /** A script's HGETALL is a flat field, value, … array whatever protocol (RESP2/RESP3) the connection speaks. */
    private static Usage usageOf(Response reply) {
        Usage.Builder usage = Usage.builder();
        for (int i = 0; reply != null && i + 1 < reply.size(); i += 2) {
            add(usage, reply.get(i).toString(), reply.get(i + 1).toLong());
        }
        return usage.build();
    }

    private static void add(Usage.Builder usage, String key, long value) {
        UsageField field = UsageField.byKey(key);
        if (field != null && value > 0) {
            usage.add(field, value); // fields a newer gateway version wrote are kept in Redis and skipped here
        }
    }

    private List<String> leaseKeys(Lease lease) {
        return List.of(key("{lease}:total"), key("{lease}:identity:" + lease.identity()), key("{lease}:caller:" + lease.caller()));
    }

    private String usageKey(String identity, LocalDate day) {
        return key("usage:" + day + ":" + identity);
    }

    private String key(String suffix) {
        return config.keyPrefix() + suffix;
    }

    private String ttlMillis() {
        return Long.toString(config.leaseTtl().toMillis());
    }

    /**
     * Bounds the operation by {@code gateway.state.timeout}, turns every failure into {@link StateUnavailableException}
     * and hands the result back on the caller's Vert.x context (the Redis client completes on its connection's).
     */
    private <T> Uni<T> guarded(String operation, Supplier<Uni<T>> call) {
        Context caller = Vertx.currentContext();
        Uni<T> result = Uni.createFrom().<T>deferred(call::get)
                .ifNoItem().after(config.timeout()).failWith(() -> new TimeoutException("no answer within " + config.timeout().toMillis() + " ms"))
                .onFailure(f -> !(f instanceof StateUnavailableException)).transform(f -> RedisFailure.of(f).toException(operation, f));
        return caller == null ? result : result.emitOn(command -> caller.runOnContext(ignored -> command.run()));
    }
}
