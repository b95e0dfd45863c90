package io.realtimegateway.console;

/**
 * What one feed connection may have written but not yet flushed to its browser. A console that reads slower than
 * the feed writes hits the bound and is dropped (it reconnects and starts from a snapshot), so the gateway never
 * queues without limit for it. A sample's events are admitted together: a burst (100 sessions opening within one
 * sample) is one sample's work, and a console is too slow when an earlier sample's messages are still unflushed as
 * the next one arrives, not because one sample had many events. Admissions and completions come from different
 * threads, hence the lock.
 */
final class FeedBudget {

    private final int maxMessages;
    private final long maxBytes;
    private int messages;
    private long bytes;

    FeedBudget(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /** Counts one message as in flight, or refuses it (false) when the connection is too far behind. */
    synchronized boolean admit(int size) {
        return admit(1, size);
    }

    /**
     * Counts one sample's {@code count} messages of {@code size} bytes in all as in flight, or refuses them (false):
     * when {@code maxMessages} or more are still unflushed from before, or the bytes would go over the bound.
     */
    synchronized boolean admit(int count, long size) {
        if (messages >= maxMessages || bytes + size > maxBytes) {
            return false;
        }
        messages += count;
        bytes += size;
        return true;
    }

    /** A write admitted with {@link #admit} completed or failed. */
    synchronized void written(int size) {
        messages--;
        bytes -= size;
    }

    synchronized int messages() {
        return messages;
    }
}
