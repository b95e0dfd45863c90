package io.realtimegateway.relay;

import java.time.Duration;

/**
 * The lines one repeated message may write: the first, then at most one per window, which says how many it left out.
 * A client retrying in a loop then writes a few lines, never one per attempt. Shared by the admission refusal log and
 * the relay's upstream failures (one instance per message kind; memory is the instance).
 */
public final class LogThrottle {

    private final long windowMillis;
    private long openedAt = Long.MIN_VALUE;
    private long skipped;

    public LogThrottle(Duration window) {
        this.windowMillis = window.toMillis();
    }

    /** The number of occurrences left out since the last line when this one is to be logged, else -1. */
    public synchronized long admit(long nowMillis) {
        if (openedAt != Long.MIN_VALUE && nowMillis - openedAt < windowMillis) {
            skipped++;
            return -1;
        }
        openedAt = nowMillis;
        long left = skipped;
        skipped = 0;
        return left;
    }

    /** {@code " (N more … since the last line)"}, or empty when none were left out. */
    public static String suffix(long skipped, String what) {
        return skipped <= 0 ? "" : " (" + skipped + " more " + what + " since the last line)";
    }
}
