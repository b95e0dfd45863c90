package io.realtimegateway.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.realtimegateway.state.Usage;
import io.realtimegateway.state.UsageField;
import io.realtimegateway.tracing.SessionTotals;
import io.realtimegateway.tracing.SessionTrace;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.impl.ContextInternal;

/**
 * The Realtime sessions of this replica, for the console and the drain on SIGTERM: the live ones and the last
 * {@value #CLOSED_KEPT} closed. Relayed WebSocket sessions and WebRTC calls (through their sideband) register alike
 * ({@link Live}), marked by {@link LiveSession#transport()}. Sessions register on open and close only; their counters stay plain fields on their event loop, and
 * {@link #sample()} reads them there (one task per event loop per call). So the data path pays nothing per frame,
 * and nothing at all while no one samples.
 */
@ApplicationScoped
public class SessionRegistry {

    /** How many closed sessions are kept. */
    public static final int CLOSED_KEPT = 50;
    private static final Duration SAMPLE_TIMEOUT = Duration.ofSeconds(2);

    /** {@link LiveSession#transport()} of a relayed WebSocket session. */
    public static final String WEBSOCKET = "websocket";
    /** {@link LiveSession#transport()} of a WebRTC call set up through {@code POST /v1/realtime/calls}. */
    public static final String WEBRTC = "webrtc";
    /** {@link LiveSession#type()} of a Realtime session (relayed or a call). */
    public static final String REALTIME = "realtime";
    /** {@link LiveSession#type()} of a GPT-Live session. */
    public static final String LIVE = "live";

    /** A live session as the registry holds it: a relayed session, or a WebRTC call's sideband. */
    public interface Live {

        /** Unique among the live ones: the relay id, or OpenAI's call id. */
        String id();

        /** The context the session runs on; {@link #snapshot()} is called there. */
        Context context();

        /** The console's view of the session, read on its context. */
        LiveSession snapshot();

        /** Ends the session for the drain on SIGTERM; callable from any thread. */
        void shutDown();

        /**
         * Ends the session for the console's kill switch (from any thread); false when this kind of session cannot be
         * ended that way.
         */
        default boolean kill() {
            return false;
        }

        /**
         * The session's span ({@code tracing/Tracing#start} at its door): {@link #closed} sets its counters and ends it.
         * A session type without a span of its own keeps this default.
         */
        default SessionTrace trace() {
            return SessionTrace.NONE;
        }
    }

    /** Messages and bytes relayed in one direction. */
    @RegisterForReflection
    public record Traffic(long frames, long bytes) {
    }

    /** Tokens reported by {@code response.done} events so far. */
    @RegisterForReflection
    public record Tokens(long input, long output, long total) {

        /** The response token counts of a session's usage. */
        public static Tokens of(Usage usage) {
            return new Tokens(usage.get(UsageField.INPUT_TOKENS), usage.get(UsageField.OUTPUT_TOKENS), usage.get(UsageField.TOTAL_TOKENS));
        }
    }

    /**
     * One session as the console shows it. Nothing in it is a secret: the identity is the ticket's caller id.
     *
     * @param id the relay id of the session log lines ({@code relay=}), or a call's OpenAI call id ({@code call=})
     * @param model the model, or {@code intent=transcription}
     * @param upstreamSession OpenAI's {@code session.id} once {@code session.created} arrived, else "-"
     * @param up client to upstream (a call: the gateway's events on the sideband)
     * @param down upstream to client (a call: OpenAI's events on the sideband)
     * @param transport {@value #WEBSOCKET} for a relayed session, {@value #WEBRTC} for a call
     * @param type {@value #REALTIME} or {@value #LIVE}
     * @param seconds a Live session's seconds so far (the gateway's clock, or OpenAI's figure when higher); null for Realtime
     * @param budgetLeft the identity's seconds (Live) left today as last seen; null when no budget applies
     */
    @RegisterForReflection
    public record LiveSession(String id, String identity, String model, Instant startedAt, String upstreamSession, Traffic up, Traffic down,
            Tokens usage, String transport, String type, Long seconds, Long budgetLeft) {

        /** A Realtime session: no seconds, no seconds budget. */
        public LiveSession(String id, String identity, String model, Instant startedAt, String upstreamSession, Traffic up, Traffic down,
                Tokens usage, String transport) {
            this(id, identity, model, startedAt, upstreamSession, up, down, usage, transport, REALTIME, null, null);
        }
    }

    /**
     * A session that ended.
     *
     * @param seq increasing per closed session, so a reader can ask for what it has not seen
     * @param clientClose the close code the client got (or sent); 0 for a call (it has no client WebSocket)
     * @param upstreamClose upstream's close code (a call's: its sideband's), {@code connect-failed}, or "-" when upstream never opened
     */
    @RegisterForReflection
    public record ClosedSession(long seq, LiveSession session, Instant closedAt, int clientClose, String upstreamClose) {
    }

    private final ConcurrentHashMap<String, Live> live = new ConcurrentHashMap<>();
    private final ArrayDeque<ClosedSession> closed = new ArrayDeque<>(CLOSED_KEPT);
    private long closedSeq;

    /** Called as the session starts. */
    public void opened(Live session) {
        live.put(session.id(), session);
    }

    /** Called on the session's loop as it ends, with its final counters. */
    public void closed(LiveSession last, int clientClose, String upstreamClose) {
        Live ended = live.remove(last.id());
        if (ended != null) {
            ended.trace().closed(new SessionTotals(last.upstreamSession(), clientClose, upstreamClose, last.up().frames(), last.up().bytes(),
                    last.down().frames(), last.down().bytes(), last.usage().input(), last.usage().output(), last.usage().total())).end();
        }
        synchronized (closed) {
            if (closed.size() == CLOSED_KEPT) {
                closed.removeFirst();
            }
            closed.addLast(new ClosedSession(++closedSeq, last, Instant.now(), clientClose, upstreamClose));
        }
    }

    /** Every live session, e.g. to end them all when the drain on SIGTERM is over. */
    void forEachLive(Consumer<Live> action) {
        live.values().forEach(action);
    }

    /**
     * The console's kill switch: ends the live session {@code id} ({@link Live#kill()}).
     *
     * @return false when no live session has that id, or it cannot be ended that way
     */
    public boolean kill(String id) {
        Live session = live.get(id);
        return session != null && session.kill();
    }

    /** Live sessions, relayed and WebRTC calls. */
    public int liveCount() {
        return live.size();
    }

    /** The last closed sessions, oldest first. */
    public List<ClosedSession> closed() {
        synchronized (closed) {
            return List.copyOf(closed);
        }
    }

    /**
     * The live sessions with their counters, each read on its own event loop; a session that ends meanwhile is left out.
     * The sessions of one event loop are read in one task on it (a loop runs many sessions), so a sample costs one
     * task per loop, not one per session.
     */
    public Uni<List<LiveSession>> sample() {
        Map<Object, List<Live>> byLoop = new HashMap<>();
        for (Live session : live.values()) {
            byLoop.computeIfAbsent(loopOf(session.context()), k -> new ArrayList<>()).add(session);
        }
        if (byLoop.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Uni<List<LiveSession>>> reads = new ArrayList<>(byLoop.size());
        for (List<Live> group : byLoop.values()) {
            reads.add(Uni.createFrom().<List<LiveSession>> emitter(e -> group.get(0).context().runOnContext(v -> e.complete(snapshots(group))))
                    .ifNoItem().after(SAMPLE_TIMEOUT).recoverWithItem(List.of()));
        }
        return Uni.join().all(reads).andFailFast()
                .map(all -> all.stream().flatMap(List::stream).filter(s -> live.containsKey(s.id()))
                        .sorted((a, b) -> a.startedAt().compareTo(b.startedAt())).toList());
    }

    /** The thread a context runs on: its event loop (every session's context is an event-loop context, or a duplicate of one). */
    private static Object loopOf(Context context) {
        return context instanceof ContextInternal internal && context.isEventLoopContext() ? internal.nettyEventLoop() : context;
    }

    private static List<LiveSession> snapshots(List<Live> group) {
        List<LiveSession> out = new ArrayList<>(group.size());
        for (Live session : group) {
            out.add(session.snapshot());
        }
        return out;
    }
}
