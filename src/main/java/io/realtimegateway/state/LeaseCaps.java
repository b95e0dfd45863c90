package io.realtimegateway.state;

/** Concurrent-session caps: per identity and over all identities. */
public record LeaseCaps(int perIdentity, int total) {
}
