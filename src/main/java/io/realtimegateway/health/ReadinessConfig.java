package io.realtimegateway.health;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** What readiness waits for ({@code GATEWAY_READINESS_*}). */
@ConfigMapping(prefix = "gateway.readiness")
public interface ReadinessConfig {

    /**
     * Shared dependencies whose outage is to take readiness DOWN ({@code livekit}, {@code openai}), comma-separated;
     * from {@code GATEWAY_READINESS_REQUIRES}. Default none: an outage only shows as {@code DEGRADED} in the data.
     */
    Optional<List<Dependency>> requires();

    /** A dependency every replica shares, named as in the readiness data. */
    enum Dependency {
        LIVEKIT,
        OPENAI
    }
}
