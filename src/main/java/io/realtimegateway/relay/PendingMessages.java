package io.realtimegateway.relay;

import java.util.ArrayDeque;

import io.vertx.core.http.WebSocketFrame;

/**
 * The client messages that arrive before upstream is open, held in order and bounded in count and bytes (clients
 * such as the SDKs send {@code session.update} right after their own open, before the gateway's upstream is).
 * Touched only on the session's event loop.
 */
final class PendingMessages {

    /** A held message and the size it counts for. */
    record Held(WebSocketFrame frame, int size) {
    }

    private final int maxFrames;
    private final long maxBytes;
    private final RelayBudget budget;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private long bytes;

    PendingMessages(int maxFrames, long maxBytes, RelayBudget budget) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.budget = budget;
    }

    /** Holds a message; false (holding nothing) when that would pass either bound. */
    boolean offer(WebSocketFrame frame, int size) {
        if (held.size() >= maxFrames || bytes + size > maxBytes) {
            return false;
        }
        held.add(new Held(frame, size));
        bytes += size;
        budget.add(size);
        return true;
    }

    /** The oldest held message, removed; null when none is left. */
    Held poll() {
        Held next = held.poll();
        if (next != null) {
            bytes -= next.size();
            budget.remove(next.size());
        }
        return next;
    }

    void clear() {
        held.clear();
        budget.remove(bytes);
        bytes = 0;
    }
}
