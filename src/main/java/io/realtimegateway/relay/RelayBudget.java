package io.realtimegateway.relay;

import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import io.realtimegateway.realtime.RealtimeConfig;

/**
 * The bytes the relay holds across all sessions: client messages held before upstream is ready, fragments being
 * reassembled, and messages written but not yet flushed to a peer. While the total is at
 * {@code gateway.realtime.max-buffered-bytes}, new sessions are refused (1013); sessions already open stay bounded
 * by their own limits and back-pressure. A {@link LongAdder}: sessions on every event loop add to it without
 * contending on one cache line, and only admission and the gauge sum it.
 */
@ApplicationScoped
public class RelayBudget {

    private final LongAdder held = new LongAdder();
    private final long max;

    @Inject // ArC would otherwise take the no-argument constructor below
    RelayBudget(RealtimeConfig config, MeterRegistry registry) {
        this.max = config.maxBufferedBytes();
        Gauge.builder("gateway.realtime.buffered.bytes", held, LongAdder::sum).baseUnit("bytes")
                .description("Bytes the relay holds for all sessions (held, reassembling, unwritten)").register(registry);
    }

    /** For unit tests of the accounting types: a budget that nothing reads. */
    static RelayBudget unbounded() {
        return new RelayBudget();
    }

    private RelayBudget() {
        this.max = Long.MAX_VALUE;
    }

    void add(long bytes) {
        held.add(bytes);
    }

    void remove(long bytes) {
        held.add(-bytes);
    }

    long held() {
        return held.sum();
    }

    /** Whether a new session must wait: the relay already holds its whole budget. */
    public boolean spent() {
        return held.sum() >= max;
    }

    public long max() {
        return max;
    }
}
