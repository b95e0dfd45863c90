package io.realtimegateway.state;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * Where single-use tickets, session leases, rate-limit counters and usage live. The Redis connection itself is
 * Quarkus's own {@code quarkus.redis.*} ({@code QUARKUS_REDIS_HOSTS}, password and TLS in the URL or its settings).
 */
@ConfigMapping(prefix = "gateway.state")
public interface StateConfig {

    /** {@code memory} (one replica, the default) or {@code redis} (shared by every replica); from {@code GATEWAY_STATE}. */
    @WithParentName
    @WithDefault("memory")
    Kind kind();

    /** How long a session lease lives without renewal: a replica that dies frees its sessions' slots within this time. */
    @WithDefault("15s")
    Duration leaseTtl();

    /** Longest wait for one Redis operation before it counts as Redis unavailable (callers then fail closed). */
    @WithDefault("2s")
    Duration timeout();

    /** Prefix of every Redis key the gateway writes, so that one Redis can serve several deployments. */
    @WithDefault("realtime-gateway:")
    String keyPrefix();

    /** How long per-day usage is kept (for budgets and the usage endpoint). */
    @WithDefault("32d")
    Duration usageRetention();

    /** The two stores. */
    enum Kind {
        MEMORY,
        REDIS
    }
}
