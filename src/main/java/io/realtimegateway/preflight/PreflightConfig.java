package io.realtimegateway.preflight;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import io.realtimegateway.config.ZeroAllowed;

/** How the startup checks run and what a failure does. */
@ConfigMapping(prefix = "gateway.preflight")
public interface PreflightConfig {

    /** Run the network checks (LiveKit ListRooms, OpenAI models) at boot; from {@code GATEWAY_PREFLIGHT_ONLINE}. */
    @WithDefault("true")
    boolean online();

    /** Refuse to boot when a check fails; from {@code GATEWAY_PREFLIGHT_ENFORCE}. The dev and test profiles only report. */
    @WithDefault("true")
    boolean enforce();

    /** What an unreachable server means after the retries: {@code fail} refuses boot, {@code warn} serves (readiness then shows the feature DEGRADED). */
    @WithDefault("fail")
    Unreachable unreachable();

    /** Attempts per online check against a server that does not answer. */
    @WithDefault("3")
    int attempts();

    /** Pause between two attempts. */
    @WithDefault("1s")
    @ZeroAllowed
    Duration retryDelay();

    /** Timeout of one network probe. */
    @WithDefault("5s")
    Duration timeout();

    /** How old the report may get before readiness re-runs the checks (in the background; probes stay cheap). */
    @WithDefault("30s")
    @ZeroAllowed
    Duration refresh();

    /** What an unreachable server turns into. */
    enum Unreachable {
        FAIL,
        WARN
    }
}
