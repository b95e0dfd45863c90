package io.realtimegateway.state;

import java.time.Duration;

/** {@code requests} per {@code window} for one caller. */
public record RateLimit(int requests, Duration window) {

    public RateLimit {
        if (requests < 1 || window.toMillis() < 1) {
            throw new IllegalArgumentException("a rate limit needs at least 1 request per at least 1 ms");
        }
    }
}
