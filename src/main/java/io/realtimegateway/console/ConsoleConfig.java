package io.realtimegateway.console;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The console page at {@code /console} (management port) and its live feed on the main port ({@code GATEWAY_CONSOLE_*}). */
@ConfigMapping(prefix = "gateway.console")
public interface ConsoleConfig {

    /** Serve the console; from {@code GATEWAY_CONSOLE_ENABLED}. In prod it also needs an admin key ({@code GATEWAY_ADMIN_API_KEYS}). */
    @WithDefault("true")
    boolean enabled();

    /**
     * The feed's URL as browsers reach it (e.g. {@code wss://gateway.example.com/console/feed} behind an ingress); from
     * {@code GATEWAY_CONSOLE_FEED_URL}. Unset: the console page's host on the main HTTP port.
     */
    Optional<String> feedUrl();

    /** How often an open feed reads the live sessions' counters, the checks and the counters. */
    @WithDefault("500ms")
    Duration sampleInterval();

    /**
     * How often the gateway keeps a point of the console's charts (always, console open or not); the last
     * {@link ChartHistory#CAPACITY} points are kept, an hour at the default. Under 1 s counts as 1 s.
     */
    @WithDefault("10s")
    Duration chartInterval();

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
