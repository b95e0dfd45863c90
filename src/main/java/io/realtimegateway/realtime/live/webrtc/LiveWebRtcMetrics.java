package io.realtimegateway.realtime.live.webrtc;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.realtimegateway.openai.CallMetrics;

/**
 * GPT-Live WebRTC metrics ({@code gateway_live_webrtc_*}). Refusals of a create's ticket, model, budget or session
 * slot count in the relay's {@code gateway_realtime_refusals_total}; OpenAI's refusals of a create in
 * {@code gateway_realtime_upstream_failures_total{request="live_session"}}. Labels are fixed by the enums below and
 * registered at boot, so every series exists (at 0) before the first session.
 */
@ApplicationScoped
@Startup
class LiveWebRtcMetrics {

    /** Why a session's leash ended: the {@code reason} of {@code gateway_live_webrtc_sessions_ended_total}. */
    enum Ended {
        /** OpenAI closed the session ({@code session.closed}): the browser hung up, or OpenAI ended it. */
        CLOSED,
        IDLE_TIMEOUT,
        MAX_SESSION_LENGTH,
        /** The sideband could not be attached, or dropped and could not be attached again: the gateway hung up. */
        SIDEBAND_FAILED,
        /** The session's slot was lost (an outage of the state store outlived its TTL) and taken by another session. */
        LEASE_LOST,
        /** The identity's GPT-Live seconds for today ran out ({@code GATEWAY_LIVE_BUDGET_SECONDS_PER_DAY}). */
        BUDGET_EXCEEDED,
        /** The drain on SIGTERM ran out ({@code GATEWAY_SHUTDOWN_DRAIN}) with the session still live. */
        SHUTTING_DOWN,
        /** An admin ended it from the console. */
        KILLED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final AtomicInteger active = new AtomicInteger();
    private final Counter created;
    private final Counter seconds;
    private final Counter reattached;
    private final Map<Ended, Counter> ended = new EnumMap<>(Ended.class);
    private final Map<CallMetrics.UpstreamFailure, Counter> failures = new EnumMap<>(CallMetrics.UpstreamFailure.class);

    LiveWebRtcMetrics(MeterRegistry registry) {
        registry.gauge("gateway.live.webrtc.sessions.active", active);
        this.created = registry.counter("gateway.live.webrtc.sessions.created");
        this.seconds = registry.counter("gateway.live.webrtc.seconds");
        this.reattached = registry.counter("gateway.live.webrtc.sideband.reattached");
        for (Ended reason : Ended.values()) {
            ended.put(reason, registry.counter("gateway.live.webrtc.sessions.ended", "reason", reason.label()));
        }
        for (CallMetrics.UpstreamFailure failure : CallMetrics.UpstreamFailure.values()) {
            failures.put(failure, registry.counter("gateway.realtime.upstream.failures", "request", "live_session", "outcome",
                    failure.name().toLowerCase(Locale.ROOT)));
        }
    }

    /** OpenAI created a session and the sideband is attached: it counts as active until {@link #ended}. */
    void created() {
        created.increment();
        active.incrementAndGet();
    }

    void ended(Ended reason) {
        active.decrementAndGet();
        ended.get(reason).increment();
    }

    /** A create that OpenAI created but the gateway could not leash (its sideband failed): never active. */
    void notLeashed() {
        ended.get(Ended.SIDEBAND_FAILED).increment();
    }

    void seconds(long recorded) {
        seconds.increment(recorded);
    }

    void reattached() {
        reattached.increment();
    }

    void failed(CallMetrics.UpstreamFailure failure) {
        failures.get(failure).increment();
    }
}
