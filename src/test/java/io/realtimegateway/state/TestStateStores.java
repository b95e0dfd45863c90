package io.realtimegateway.state;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A memory store on its own, for unit tests of the features that use one (the application gets its store by injection). */
public final class TestStateStores {

    private TestStateStores() {
    }

    public static StateStore inMemory(int claimCapacity, Duration leaseTtl, LongSupplier clock) {
        return new MemoryStateStore(claimCapacity, leaseTtl, Duration.ofDays(32), clock);
    }
}
