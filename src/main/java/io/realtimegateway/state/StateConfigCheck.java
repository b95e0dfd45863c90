package io.realtimegateway.state;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;

import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.PreflightCheck;

/**
 * {@code state.config} (offline, redis mode only): {@code GATEWAY_STATE=redis} comes with {@code QUARKUS_REDIS_HOSTS},
 * so that a deployment without online checks still learns at boot, not at its first ticket, that Redis is missing.
 */
@ApplicationScoped
class StateConfigCheck implements PreflightCheck {

    static final String NAME = "state.config";

    private final StateConfig state;

    StateConfigCheck(StateConfig state) {
        this.state = state;
    }

    @Override
    public Feature feature() {
        return Feature.STATE;
    }

    @Override
    public List<CheckResult> run() {
        return check(state.kind(), hosts());
    }

    static Optional<String> hosts() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.redis.hosts", String.class).filter(h -> !h.isBlank());
    }

    static List<CheckResult> check(StateConfig.Kind kind, Optional<String> hosts) {
        if (kind != StateConfig.Kind.REDIS) {
            return List.of();
        }
        if (hosts.isEmpty()) {
            return List.of(CheckResult.fail(NAME, "GATEWAY_STATE=redis but QUARKUS_REDIS_HOSTS is not set",
                    "Set QUARKUS_REDIS_HOSTS=redis://host:6379 (rediss:// for TLS), or GATEWAY_STATE=memory for a single replica."));
        }
        return List.of(CheckResult.ok(NAME, "GATEWAY_STATE=redis at " + RedisStateCheck.redacted(hosts.get())));
    }
}
