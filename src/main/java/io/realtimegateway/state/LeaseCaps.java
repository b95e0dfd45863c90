package io.realtimegateway.state;

/**
 * Concurrent-session caps: per identity, per caller (all of a caller's identities together; 0 = no cap of its own,
 * the total bounds it) and over all identities.
 */
public record LeaseCaps(int perIdentity, int perCaller, int total) {

    /** Caps without a per-caller cap. */
    public LeaseCaps(int perIdentity, int total) {
        this(perIdentity, 0, total);
    }
}
