package io.realtimegateway.openai;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * WebRTC call and client-secret metrics ({@code gateway_realtime_calls_*}, {@code gateway_realtime_client_secrets_*}).
 * Refusals of a call's ticket, model or session slot count in the relay's {@code gateway_realtime_refusals_total};
 * usage metered by the sideband counts in the relay's {@code gateway_realtime_usage_tokens_total} (through
 * {@link io.realtimegateway.relay.RelayMetrics#tokens}), so a dashboard sees one total. Labels are fixed by the enums below and registered at boot.
 */
@ApplicationScoped
@Startup // every series exists from boot, so a dashboard shows 0 rather than no data before the first call
public class CallMetrics {

    /** Why a call's control ended: the {@code reason} of {@code gateway_realtime_calls_ended_total}. */
    enum Ended {
        /** OpenAI closed the control connection: the browser or OpenAI ended the call. */
        CLOSED,
        IDLE_TIMEOUT,
        MAX_SESSION_LENGTH,
        /** The control connection could not be opened or dropped: the gateway hung the call up. */
        SIDEBAND_FAILED,
        /** The call's session slot was lost (an outage of the state store outlived its TTL) and taken by another session. */
        LEASE_LOST,
        /** The identity's usage budget for today ran out during the call ({@code GATEWAY_REALTIME_BUDGET_TOKENS_PER_DAY}). */
        BUDGET_EXCEEDED,
        /** The drain on SIGTERM ran out ({@code GATEWAY_SHUTDOWN_DRAIN}) with the call still live. */
        SHUTTING_DOWN;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** An answer from OpenAI that was not a success: the {@code outcome} of {@code gateway_realtime_upstream_failures_total}. */
    public enum UpstreamFailure {
        CLIENT_ERROR, KEY_REJECTED, RATE_LIMITED, SERVER_ERROR, UNREACHABLE;

        public static UpstreamFailure of(int status) {
            if (status == 401 || status == 403) {
                return KEY_REJECTED;
            }
            if (status == 429) {
                return RATE_LIMITED;
            }
            return status >= 400 && status < 500 ? CLIENT_ERROR : SERVER_ERROR;
        }
    }

    private final AtomicInteger active = new AtomicInteger();
    private final Counter created;
    private final Counter reapplied;
    private final Counter minted;
    private final Map<Ended, Counter> ended = new EnumMap<>(Ended.class);
    private final Map<UpstreamFailure, Counter> callFailures = new EnumMap<>(UpstreamFailure.class);
    private final Map<UpstreamFailure, Counter> secretFailures = new EnumMap<>(UpstreamFailure.class);

    CallMetrics(MeterRegistry registry) {
        registry.gauge("gateway.realtime.calls.active", active);
        this.created = registry.counter("gateway.realtime.calls.created");
        this.reapplied = registry.counter("gateway.realtime.calls.instructions.reapplied");
        this.minted = registry.counter("gateway.realtime.client_secrets.minted");
        for (Ended reason : Ended.values()) {
            ended.put(reason, registry.counter("gateway.realtime.calls.ended", "reason", reason.label()));
        }
        for (UpstreamFailure failure : UpstreamFailure.values()) {
            String outcome = failure.name().toLowerCase(Locale.ROOT);
            callFailures.put(failure, registry.counter("gateway.realtime.upstream.failures", "request", "call", "outcome", outcome));
            secretFailures.put(failure, registry.counter("gateway.realtime.upstream.failures", "request", "client_secret", "outcome", outcome));
        }
    }

    void created() {
        created.increment();
    }

    /** The sideband of a call opened: the call counts as active until {@link #ended}. */
    void controlled() {
        active.incrementAndGet();
    }

    void ended(Ended reason) {
        active.decrementAndGet();
        ended.get(reason).increment();
    }

    void instructionsReapplied() {
        reapplied.increment();
    }

    void minted() {
        minted.increment();
    }

    void callFailed(UpstreamFailure failure) {
        callFailures.get(failure).increment();
    }

    void secretFailed(UpstreamFailure failure) {
        secretFailures.get(failure).increment();
    }
}
