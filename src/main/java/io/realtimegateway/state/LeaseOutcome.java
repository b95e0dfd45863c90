package io.realtimegateway.state;

/** The outcome of {@link StateStore#acquireLease}. */
public enum LeaseOutcome {
    GRANTED,
    /** All identities together hold {@link LeaseCaps#total()} leases. */
    TOTAL_FULL,
    /** This identity holds {@link LeaseCaps#perIdentity()} leases. */
    IDENTITY_FULL,
    /** This caller's identities together hold {@link LeaseCaps#perCaller()} leases. */
    CALLER_FULL
}
