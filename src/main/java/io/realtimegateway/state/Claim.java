package io.realtimegateway.state;

/** The outcome of {@link StateStore#claimOnce}. */
public enum Claim {
    /** This caller is the first: the id is now taken. */
    CLAIMED,
    /** Someone claimed the id before (on any replica, in redis mode). */
    ALREADY_CLAIMED,
    /** Memory mode only: the bounded memory of claims is full of ids that have not expired; refused, never forgotten. */
    MEMORY_FULL
}
