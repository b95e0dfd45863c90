package io.realtimegateway.health;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import io.realtimegateway.config.ZeroAllowed;

/** What SIGTERM does ({@code GATEWAY_SHUTDOWN_*}). */
@ConfigMapping(prefix = "gateway.shutdown")
public interface ShutdownConfig {

    /** How long live relay sessions may go on after SIGTERM before they are closed with 1001; from {@code GATEWAY_SHUTDOWN_DRAIN}. */
    @WithDefault("10s")
    @ZeroAllowed
    Duration drain();
}
