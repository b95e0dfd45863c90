package io.realtimegateway.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The console page at {@code /console} and its live feed ({@code GATEWAY_CONSOLE_*}). */
@ConfigMapping(prefix = "gateway.console")
public interface ConsoleConfig {

    /** Serve the console; from {@code GATEWAY_CONSOLE_ENABLED}. In prod it also needs an admin key ({@code GATEWAY_ADMIN_API_KEYS}). */
    @WithDefault("true")
    boolean enabled();

    /** How often an open feed reads the live sessions' counters, the checks and the counters. */
    @WithDefault("500ms")
    Duration sampleInterval();

    /** How long a feed ticket from {@code POST /console/api/ticket} may be used (once) to open the feed. */
    @WithDefault("30s")
    Duration ticketTtl();

    /** Feed messages written to one console but not yet flushed before that console is dropped as too slow. */
    @WithDefault("64")
    int maxInFlightMessages();

    /** Feed bytes written to one console but not yet flushed before that console is dropped as too slow. */
    @WithDefault("1048576")
    long maxInFlightBytes();
}
