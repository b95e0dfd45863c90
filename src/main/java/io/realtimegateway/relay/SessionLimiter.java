package io.realtimegateway.relay;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.config.RealtimeConfig;

/** Concurrent-session caps, per identity and in total; relayed sessions and WebRTC calls take slots alike. */
@ApplicationScoped
public class SessionLimiter {

    private final RealtimeConfig config;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perIdentity = new ConcurrentHashMap<>();

    SessionLimiter(RealtimeConfig config) {
        this.config = config;
    }

    /** @return null when a slot was taken, else the cap that was hit (then the caller must not {@link #release}) */
    public RelayMetrics.Refused tryAcquire(String identity) {
        if (total.incrementAndGet() > config.maxSessions()) {
            total.decrementAndGet();
            return RelayMetrics.Refused.MAX_SESSIONS;
        }
        boolean[] ok = {false};
        perIdentity.compute(identity, (k, n) -> {
            int current = n == null ? 0 : n;
            if (current >= config.maxSessionsPerIdentity()) {
                return n;
            }
            ok[0] = true;
            return current + 1;
        });
        if (!ok[0]) {
            total.decrementAndGet();
            return RelayMetrics.Refused.MAX_SESSIONS_PER_IDENTITY;
        }
        return null;
    }

    public void release(String identity) {
        total.decrementAndGet();
        perIdentity.computeIfPresent(identity, (k, n) -> n <= 1 ? null : n - 1);
    }
}
