package io.realtimegateway.relay;

/**
 * The accounting of one direction of one session: messages and bytes relayed (for the end-of-session log and the
 * shared meters) and the messages written but not yet flushed to the peer, bounded so a slow peer cannot make the
 * gateway queue without limit. Touched only on the session's event loop, so plain fields suffice.
 */
final class DirectionAccount {

    private final RelayMetrics.DirectionMeters meters;
    private final int maxInFlightFrames;
    private final long maxInFlightBytes;
    private long frames;
    private long bytes;
    private int inFlightFrames;
    private long inFlightBytes;

    DirectionAccount(RelayMetrics.DirectionMeters meters, int maxInFlightFrames, long maxInFlightBytes) {
        this.meters = meters;
        this.maxInFlightFrames = maxInFlightFrames;
        this.maxInFlightBytes = maxInFlightBytes;
    }

    /** A complete message of {@code size} bytes arrived in this direction. */
    void received(int size) {
        frames++;
        bytes += size;
        meters.message(size);
    }

    /** Counts a message as in flight, or refuses it (false) when the peer is too far behind. */
    boolean admit(int size) {
        if (inFlightFrames + 1 > maxInFlightFrames || inFlightBytes + size > maxInFlightBytes) {
            return false;
        }
        inFlightFrames++;
        inFlightBytes += size;
        return true;
    }

    /** A write admitted with {@link #admit} completed (or failed): it no longer counts as in flight. */
    void written(int size) {
        inFlightFrames--;
        inFlightBytes -= size;
    }

    long frames() {
        return frames;
    }

    long bytes() {
        return bytes;
    }
}
