package io.realtimegateway.ratelimit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import io.realtimegateway.config.ZeroAllowed;

/**
 * Per-caller rate limits of the token and ticket endpoints ({@code GATEWAY_RATE_LIMIT_*}), in requests per fixed
 * one-minute window that starts with the caller's first request in it. Shared by every replica in redis mode, per
 * process in memory mode. 0 means unlimited.
 */
@ConfigMapping(prefix = "gateway.rate-limit")
public interface RateLimitConfig {

    /** LiveKit token requests ({@code POST /api/livekit/token}, {@code GET /api/livekit-token}) per caller per minute; 0 = unlimited. */
    @WithDefault("0")
    @ZeroAllowed
    int tokensPerMinute();

    /**
     * Relay tickets ({@code POST /api/realtime/client-secret}) per caller per minute; 0 = unlimited. The default bounds
     * how many redeemed-ticket ids one caller can make the gateway remember, so no caller can fill that memory for others.
     */
    @WithDefault("1200")
    @ZeroAllowed
    int ticketsPerMinute();
}
