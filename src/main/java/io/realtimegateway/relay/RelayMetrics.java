package io.realtimegateway.relay;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Relay metrics, exported at /q/metrics with the {@code gateway_realtime_} prefix. */
@ApplicationScoped
public class RelayMetrics {

    static final String CLIENT_TO_UPSTREAM = "client_to_upstream";
    static final String UPSTREAM_TO_CLIENT = "upstream_to_client";

    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();
    private final Counter framesUp;
    private final Counter framesDown;
    private final Counter bytesUp;
    private final Counter bytesDown;
    private final Timer connect;

    RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("gateway.realtime.sessions.active", active);
        this.framesUp = Counter.builder("gateway.realtime.frames").tag("direction", CLIENT_TO_UPSTREAM).register(registry);
        this.framesDown = Counter.builder("gateway.realtime.frames").tag("direction", UPSTREAM_TO_CLIENT).register(registry);
        this.bytesUp = Counter.builder("gateway.realtime.bytes").baseUnit("bytes").tag("direction", CLIENT_TO_UPSTREAM).register(registry);
        this.bytesDown = Counter.builder("gateway.realtime.bytes").baseUnit("bytes").tag("direction", UPSTREAM_TO_CLIENT).register(registry);
        this.connect = Timer.builder("gateway.realtime.upstream.connect").description("Time to open the upstream WebSocket").register(registry);
    }

    void opened() {
        active.incrementAndGet();
    }

    void closed(int clientCloseCode) {
        active.decrementAndGet();
        registry.counter("gateway.realtime.sessions.closed", "code", Integer.toString(clientCloseCode)).increment();
    }

    void frameUp(long bytes) {
        framesUp.increment();
        bytesUp.increment(bytes);
    }

    void frameDown(long bytes) {
        framesDown.increment();
        bytesDown.increment(bytes);
    }

    void upstreamConnected(Duration latency) {
        connect.record(latency);
    }

    /** A session or ticket refused, by stable reason (missing_ticket, model_not_allowed, slow_client, ...). */
    public void refused(String reason) {
        registry.counter("gateway.realtime.refusals", "reason", reason).increment();
    }

    /** Usage from {@code response.done}: kind is input, output or total. */
    void tokens(String kind, long count) {
        if (count > 0) {
            registry.counter("gateway.realtime.usage.tokens", "kind", kind).increment(count);
        }
    }

    int active() {
        return active.get();
    }
}
