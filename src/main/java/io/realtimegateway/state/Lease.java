package io.realtimegateway.state;

/**
 * One session's slot: the identity it counts against and an id unique across replicas (e.g. a random UUID).
 * Neither is a secret; both end up in Redis keys and members.
 */
public record Lease(String identity, String id) {
}
