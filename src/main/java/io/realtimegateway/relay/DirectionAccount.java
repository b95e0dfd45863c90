package io.realtimegateway.relay;

import io.vertx.core.http.WebSocketBase;

/**
 * The accounting of one direction of one session: messages and bytes relayed (for the end-of-session log and the
 * shared meters) and the messages written but not yet flushed to the peer. When those reach the in-flight bound
 * the session stops reading the other leg ({@link #backedUp()}) and reads again once half of it is flushed
 * ({@link #caughtUp()}), so a slow peer slows its sender down through TCP instead of filling the gateway's memory.
 * The bound is the relay's own count of writes not yet completed (a write completes once its bytes are in the
 * kernel's socket buffer), not Vert.x's {@code writeQueueFull()}, which takes the connection's monitor and throws
 * once the socket is closed: a per-frame lock and a race the hot path does not need.
 * Touched only on the session's event loop, so plain fields suffice; the shared {@link RelayBudget} is a LongAdder.
 */
final class DirectionAccount {

    private final RelayMetrics.DirectionMeters meters;
    private final RelayBudget budget;
    private final int maxInFlightFrames;
    private final long maxInFlightBytes;
    private long frames;
    private long bytes;
    private long unpublishedFrames;
    private long unpublishedBytes;
    private int inFlightFrames;
    private long inFlightBytes;
    private WebSocketBase source;
    private long pausedSince = -1;

    DirectionAccount(RelayMetrics.DirectionMeters meters, RelayBudget budget, int maxInFlightFrames, long maxInFlightBytes) {
        this.meters = meters;
        this.budget = budget;
        this.maxInFlightFrames = maxInFlightFrames;
        this.maxInFlightBytes = maxInFlightBytes;
    }

    /** A complete message of {@code size} bytes arrived in this direction (in the shared meters at the next {@link #publish()}). */
    void received(int size) {
        frames++;
        bytes += size;
        unpublishedFrames++;
        unpublishedBytes += size;
    }

    /**
     * Adds what arrived since the last call to the shared meters. The session calls it from its periodic check and
     * when it ends, so the hot path writes no shared counter (in the relay's profile the shared adds were ~4 % of
     * the event loops' samples); the meters lag by at most that period.
     */
    void publish() {
        if (unpublishedFrames > 0) {
            meters.messages(unpublishedFrames, unpublishedBytes);
            unpublishedFrames = 0;
            unpublishedBytes = 0;
        }
    }

    /** The leg this direction reads from: paused while the peer is backed up. */
    void readsFrom(WebSocketBase socket) {
        this.source = socket;
    }

    /** A message of {@code size} bytes was handed to the peer's socket: in flight until {@link #written}. */
    void sent(int size) {
        inFlightFrames++;
        inFlightBytes += size;
        budget.add(size);
        if (pausedSince < 0 && source != null && backedUp()) {
            source.pause(); // TCP back-pressure on the sender: Vert.x stops reading its socket
            pausedSince = System.nanoTime();
            meters.paused();
        }
    }

    /** A write {@link #sent} completed (or failed): it no longer counts as in flight, and the sender may resume. */
    void written(int size) {
        inFlightFrames--;
        inFlightBytes -= size;
        budget.remove(size);
        resumeIfCaughtUp();
    }

    /** Reads the other leg again when the peer has caught up (also run from the peer's drain handler). */
    void resumeIfCaughtUp() {
        if (pausedSince >= 0 && caughtUp()) {
            pausedSince = -1;
            source.resume();
        }
    }

    /** Whether the other leg has been paused, without the peer catching up, for longer than {@code nanos}. */
    boolean stalledLongerThan(long nanos, long now) {
        return pausedSince >= 0 && now - pausedSince > nanos;
    }

    /** Whether the peer is so far behind that the other leg must not be read. */
    boolean backedUp() {
        return inFlightFrames >= maxInFlightFrames || inFlightBytes >= maxInFlightBytes;
    }

    /** Whether the peer has caught up enough (half the bound) to read the other leg again. */
    boolean caughtUp() {
        return inFlightFrames <= maxInFlightFrames / 2 && inFlightBytes <= maxInFlightBytes / 2;
    }

    long inFlightBytes() {
        return inFlightBytes;
    }

    long frames() {
        return frames;
    }

    long bytes() {
        return bytes;
    }
}
