package io.realtimegateway.relay;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.realtimegateway.state.Usage;
import io.realtimegateway.state.UsageField;
import io.realtimegateway.ticket.TicketRejectedException;

/**
 * Relay metrics, exported at /q/metrics with the {@code gateway_realtime_} prefix. Sessions that never relayed
 * (refused at the upgrade or in-band right after it) count in {@code refusals{reason}}; sessions the gateway ended
 * while relaying (a limit, or upstream failing) count in {@code terminations{reason}}. Both label sets are fixed
 * by the enums below, close codes are bucketed ({@link #LABELLED_CLOSE_CODES}, else {@code other}), and every label
 * value is registered at boot, so each series starts at zero and no client can add one.
 */
@ApplicationScoped
public class RelayMetrics {

    static final String CLIENT_TO_UPSTREAM = "client_to_upstream";
    static final String UPSTREAM_TO_CLIENT = "upstream_to_client";

    /** Why a session was refused before anything was relayed: the {@code reason} of {@code gateway_realtime_refusals_total}. */
    public enum Refused {
        DISABLED, TICKET_MISSING, TICKET_INVALID, TICKET_EXPIRED, TICKET_REPLAYED, TICKET_REVOKED, TICKET_MEMORY_FULL, TICKET_STATE_UNAVAILABLE, BETA_CLIENT,
        CALL_ID_NOT_SUPPORTED, INVALID_INTENT, TICKET_TYPE_MISMATCH, TICKET_MODEL_MISMATCH, MODEL_NOT_ALLOWED, BUFFER_BUDGET,
        MAX_SESSIONS, MAX_SESSIONS_PER_IDENTITY, MAX_SESSIONS_PER_CALLER, SHUTTING_DOWN, SESSION_STATE_UNAVAILABLE, UPSTREAM_UNAVAILABLE,
        /** A reusable ticket on an upgrade with an {@code Origin} (a browser), or at a door other than the relay's. */
        REUSABLE_TICKET_NOT_ALLOWED,
        /** The identity's GPT-Live seconds for today are spent. */
        BUDGET_EXCEEDED,
        /** GPT-Live's concurrent sessions of the model are at {@code GATEWAY_LIVE_MAX_SESSIONS_PER_MODEL} on this replica. */
        MAX_SESSIONS_PER_MODEL;

        /** The label value, also used in logs and close reasons. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The reason a refused ticket counts under: the ticket package names its outcomes, the relay counts them. */
        public static Refused of(TicketRejectedException.Reason reason) {
            return switch (reason) {
                case MISSING -> TICKET_MISSING;
                case INVALID -> TICKET_INVALID;
                case EXPIRED -> TICKET_EXPIRED;
                case REPLAYED -> TICKET_REPLAYED;
                case REVOKED -> TICKET_REVOKED;
                case MEMORY_FULL -> TICKET_MEMORY_FULL;
                case STATE_UNAVAILABLE -> TICKET_STATE_UNAVAILABLE;
            };
        }
    }

    /** Why the gateway ended a relaying session: the {@code reason} of {@code gateway_realtime_terminations_total}. */
    enum Terminated {
        IDLE_TIMEOUT, MAX_SESSION_LENGTH, MESSAGE_TOO_BIG, BUFFER_OVERFLOW, SLOW_UPSTREAM, SLOW_CLIENT, UPSTREAM_UNREACHABLE,
        UPSTREAM_REFUSED, INSTRUCTIONS_NOT_APPLIED, SHUTDOWN, LEASE_LOST, PROTOCOL_ERROR, REPLACED, TICKET_REVOKED,
        /** An operator ended the session from the console (its kill switch). */
        KILLED,
        /** A client event a protocol's policy ends the session for (GPT-Live's {@code session.start}). */
        POLICY_VIOLATION,
        /** The identity's GPT-Live seconds for today ran out during the session. */
        BUDGET_EXCEEDED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why a client event was refused (the session stays open): the {@code reason} of {@code gateway_realtime_events_refused_total}. */
    enum EventRefused {
        DUPLICATE_KEYS, INSTRUCTIONS_LOCKED, SYSTEM_ROLE,
        /** A trusted session's instructions that, after the server's, would exceed {@code gateway.realtime.max-instructions-length}. */
        INSTRUCTIONS_TOO_LONG,
        /** A {@code response.create} while the identity's daily token budget is spent. */
        BUDGET_EXCEEDED,
        /** GPT-Live's policy on later client events ({@code realtime/live/LivePolicy}). */
        IMMUTABLE_FIELD_UPDATE, DELEGATION_NOT_ALLOWED, DELEGATION_MODEL_NOT_ALLOWED, TOOL_NOT_ALLOWED,
        /** Any other refusal a protocol names. */
        POLICY;

        /** The reason of a protocol's refusal label; {@link #POLICY} for a label not listed here (the metric's labels stay bounded). */
        static EventRefused of(String label) {
            for (EventRefused reason : values()) {
                if (reason.label().equals(label)) {
                    return reason;
                }
            }
            return POLICY;
        }

        /** The label value, also the error event's {@code error.code}. */
        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The frame and byte counters of one direction, shared by every session. Sessions count on their own and add
     * their counts every few seconds ({@link DirectionAccount#publish()}), into {@link LongAdder}s that the registry
     * reads when it is scraped ({@link FunctionCounter}): no walk through the composite registry's child counters
     * per frame (the benchmark's profile showed that walk on every frame).
     */
    static final class DirectionMeters {
        private final LongAdder frames = new LongAdder();
        private final LongAdder bytes = new LongAdder();
        private final Counter pauses;

        DirectionMeters(MeterRegistry registry, String direction) {
            FunctionCounter.builder("gateway.realtime.frames", frames, LongAdder::doubleValue).tag("direction", direction).register(registry);
            FunctionCounter.builder("gateway.realtime.bytes", bytes, LongAdder::doubleValue).baseUnit("bytes").tag("direction", direction)
                    .register(registry);
            this.pauses = Counter.builder("gateway.realtime.backpressure.pauses").tag("direction", direction)
                    .description("Times the relay stopped reading the sender because the receiver of this direction was behind").register(registry);
        }

        void paused() {
            pauses.increment();
        }

        void messages(long count, long size) {
            frames.add(count);
            bytes.add(size);
        }
    }

    /**
     * The close codes {@code sessions.closed{code}} names: those the README documents (1005 and 1006 for a client
     * that closed without a status or vanished). Any other code, which a client or upstream can choose freely, counts
     * as {@code other}, so the series stay a fixed set.
     */
    static final int[] LABELLED_CLOSE_CODES = {1000, 1001, 1002, 1005, 1006, 1008, 1009, 1011, 1013, 3000, 4000};
    static final String OTHER_CLOSE_CODE = "other";

    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();
    private final DirectionMeters clientToUpstream;
    private final DirectionMeters upstreamToClient;
    private final Map<Refused, Counter> refusals = new EnumMap<>(Refused.class);
    private final Map<Terminated, Counter> terminations = new EnumMap<>(Terminated.class);
    private final Map<EventRefused, Counter> eventRefusals = new EnumMap<>(EventRefused.class);
    private final Map<Integer, Counter> closedByCode = new HashMap<>();
    private final Counter closedOther;
    private final Timer connect;

    RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("gateway.realtime.sessions.active", active);
        this.clientToUpstream = new DirectionMeters(registry, CLIENT_TO_UPSTREAM);
        this.upstreamToClient = new DirectionMeters(registry, UPSTREAM_TO_CLIENT);
        for (Refused reason : Refused.values()) {
            refusals.put(reason, registry.counter("gateway.realtime.refusals", "reason", reason.label()));
        }
        for (Terminated reason : Terminated.values()) {
            terminations.put(reason, registry.counter("gateway.realtime.terminations", "reason", reason.label()));
        }
        for (EventRefused reason : EventRefused.values()) {
            eventRefusals.put(reason, registry.counter("gateway.realtime.events.refused", "reason", reason.label()));
        }
        for (int code : LABELLED_CLOSE_CODES) {
            closedByCode.put(code, registry.counter("gateway.realtime.sessions.closed", "code", Integer.toString(code)));
        }
        this.closedOther = registry.counter("gateway.realtime.sessions.closed", "code", OTHER_CLOSE_CODE);
        this.connect = Timer.builder("gateway.realtime.upstream.connect").description("Time to open the upstream WebSocket").register(registry);
    }

    void opened() {
        active.incrementAndGet();
    }

    void closed(int clientCloseCode) {
        active.decrementAndGet();
        closedByCode.getOrDefault(clientCloseCode, closedOther).increment();
    }

    DirectionMeters clientToUpstream() {
        return clientToUpstream;
    }

    DirectionMeters upstreamToClient() {
        return upstreamToClient;
    }

    void upstreamConnected(Duration latency) {
        connect.record(latency);
    }

    /** A session refused before it relayed anything (at the upgrade, or in-band right after it). */
    public void refused(Refused reason) {
        refusals.get(reason).increment();
    }

    /** A relaying session the gateway ended itself. */
    void terminated(Terminated reason) {
        terminations.get(reason).increment();
    }

    /** A client event the policy refused; the session went on. */
    void eventRefused(String label) {
        eventRefused(EventRefused.of(label));
    }

    void eventRefused(EventRefused reason) {
        eventRefusals.get(reason).increment();
    }

    /** Usage from {@code response.done} (input, output, total) and transcriptions ({@code transcription}, its total); null counts nothing. */
    public void tokens(Usage usage) {
        if (usage != null) {
            tokens("input", usage.get(UsageField.INPUT_TOKENS));
            tokens("output", usage.get(UsageField.OUTPUT_TOKENS));
            tokens("total", usage.get(UsageField.TOTAL_TOKENS));
            tokens("transcription", usage.get(UsageField.TRANSCRIPTION_TOTAL_TOKENS));
        }
    }

    private void tokens(String kind, long count) {
        if (count > 0) {
            registry.counter("gateway.realtime.usage.tokens", "kind", kind).increment(count);
        }
    }
}
