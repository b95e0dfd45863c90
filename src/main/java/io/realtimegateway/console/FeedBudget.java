package io.realtimegateway.console;

/**
 * What one feed connection may have written but not yet flushed to its browser. A console that reads slower than
 * the feed writes hits the bound and is dropped (it reconnects and starts from a snapshot), so the gateway never
 * queues without limit for it. Admissions and completions come from different threads, hence the lock.
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

    /** Counts a message as in flight, or refuses it (false) when the connection is too far behind. */
    synchronized boolean admit(int size) {
        if (messages + 1 > maxMessages || bytes + size > maxBytes) {
            return false;
        }
        messages++;
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
