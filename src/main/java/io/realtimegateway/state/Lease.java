package io.realtimegateway.state;

/**
 * One session's slot: the identity it counts against, the caller whose total it also counts against, and an id
 * unique across replicas (e.g. a random UUID). None is a secret; all end up in Redis keys and members. For a
 * caller's own session (a single-use ticket) the identity is the caller.
 */
public record Lease(String identity, String caller, String id) {

    /** A lease whose identity is its caller. */
    public Lease(String identity, String id) {
        this(identity, identity, id);
    }
}
