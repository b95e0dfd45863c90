package io.realtimegateway.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.realtimegateway.state.Usage;
import io.realtimegateway.state.UsageField;
import io.smallrye.mutiny.Uni;

/**
 * The relay sessions of this replica, for the console: the live ones and the last {@value #CLOSED_KEPT} closed.
 * Sessions register on open and close only; their counters stay plain fields on their event loop, and
 * {@link #sample()} reads them there (one task per live session per call). So the data path pays nothing per frame,
 * and nothing at all while no one samples.
 */
@ApplicationScoped
public class SessionRegistry {

    /** How many closed sessions are kept. */
    public static final int CLOSED_KEPT = 50;
    private static final Duration SAMPLE_TIMEOUT = Duration.ofSeconds(2);

    /** Messages and bytes relayed in one direction. */
    @RegisterForReflection
    public record Traffic(long frames, long bytes) {
    }

    /** Tokens reported by {@code response.done} events so far. */
    @RegisterForReflection
    public record Tokens(long input, long output, long total) {

        /** The response token counts of a session's usage. */
        static Tokens of(Usage usage) {
            return new Tokens(usage.get(UsageField.INPUT_TOKENS), usage.get(UsageField.OUTPUT_TOKENS), usage.get(UsageField.TOTAL_TOKENS));
        }
    }

    /**
     * One session as the console shows it. Nothing in it is a secret: the identity is the ticket's caller id.
     *
     * @param id the relay id of the session log lines ({@code relay=})
     * @param model the model, or {@code intent=transcription}
     * @param upstreamSession OpenAI's {@code session.id} once {@code session.created} arrived, else "-"
     * @param up client to upstream
     * @param down upstream to client
     */
    @RegisterForReflection
    public record LiveSession(String id, String identity, String model, Instant startedAt, String upstreamSession, Traffic up, Traffic down,
            Tokens usage) {
    }

    /**
     * A session that ended.
     *
     * @param seq increasing per closed session, so a reader can ask for what it has not seen
     * @param clientClose the close code the client got (or sent)
     * @param upstreamClose upstream's close code, {@code connect-failed}, or "-" when upstream never opened
     */
    @RegisterForReflection
    public record ClosedSession(long seq, LiveSession session, Instant closedAt, int clientClose, String upstreamClose) {
    }

    private final ConcurrentHashMap<String, RelaySession> live = new ConcurrentHashMap<>();
    private final ArrayDeque<ClosedSession> closed = new ArrayDeque<>(CLOSED_KEPT);
    private long closedSeq;

    void opened(RelaySession session) {
        live.put(session.relayId(), session);
    }

    /** Called on the session's loop as it ends, with its final counters. */
    void closed(LiveSession last, int clientClose, String upstreamClose) {
        live.remove(last.id());
        synchronized (closed) {
            if (closed.size() == CLOSED_KEPT) {
                closed.removeFirst();
            }
            closed.addLast(new ClosedSession(++closedSeq, last, Instant.now(), clientClose, upstreamClose));
        }
    }

    /** Every live session, e.g. to end them all when the drain on SIGTERM is over. */
    void forEachLive(Consumer<RelaySession> action) {
        live.values().forEach(action);
    }

    public int liveCount() {
        return live.size();
    }

    /** The last closed sessions, oldest first. */
    public List<ClosedSession> closed() {
        synchronized (closed) {
            return List.copyOf(closed);
        }
    }

    /** The live sessions with their counters, each read on its own event loop; a session that ends meanwhile is left out. */
    public Uni<List<LiveSession>> sample() {
        List<Uni<LiveSession>> reads = new ArrayList<>();
        for (RelaySession session : live.values()) {
            reads.add(Uni.createFrom().<LiveSession> emitter(e -> session.context().runOnContext(v -> e.complete(session.snapshot())))
                    .ifNoItem().after(SAMPLE_TIMEOUT).recoverWithItem((LiveSession) null));
        }
        if (reads.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(reads).andFailFast()
                .map(all -> all.stream().filter(s -> s != null && live.containsKey(s.id()))
                        .sorted((a, b) -> a.startedAt().compareTo(b.startedAt())).toList());
    }
}
