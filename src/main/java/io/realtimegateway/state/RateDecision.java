package io.realtimegateway.state;

import java.time.Duration;

/**
 * One request counted: {@code count} requests so far in the current window of {@code limit}; when refused,
 * {@code retryAfter} is when the window ends (for {@code Retry-After}).
 */
public record RateDecision(boolean allowed, long count, int limit, Duration retryAfter) {

    static RateDecision of(long count, RateLimit limit, long windowLeftMillis) {
        return new RateDecision(count <= limit.requests(), count, limit.requests(), Duration.ofMillis(Math.max(0, windowLeftMillis)));
    }

    /** Whole seconds for a {@code Retry-After} header, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
