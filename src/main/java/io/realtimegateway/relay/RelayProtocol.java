package io.realtimegateway.relay;

import java.net.URI;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonFactory;

import io.vertx.core.buffer.Buffer;

/**
 * What one relayed session's protocol reads, rewrites and refuses: the Realtime API's ({@link RealtimeProtocol}) or
 * GPT-Live's ({@code realtime/live/LiveProtocol}). {@link RelaySession} owns the data path (both legs, back-pressure,
 * buffers, reassembly, timers, the close mapping, the breaker) and asks its protocol only at these points, so a new
 * protocol is an implementation of this, not a second relay. Every method runs on the session's event loop.
 */
public interface RelayProtocol extends ErrorEvents {

    /** "Realtime", "GPT-Live": for log lines. */
    String kind();

    /** The model, for logs and the console ("intent=transcription" for a transcription session). */
    String label();

    /** The console's session type ({@link SessionRegistry#REALTIME} or {@link SessionRegistry#LIVE}). */
    default String sessionType() {
        return SessionRegistry.REALTIME;
    }

    /** Seconds used so far, for a protocol billed by the second; null otherwise. Called on the session's loop. */
    default Long seconds() {
        return null;
    }

    /** The identity's seconds left today under its budget; null without one. Called on the session's loop. */
    default Long secondsLeft() {
        return null;
    }

    /** The upstream WebSocket URL (it carries no credential). */
    URI upstreamUri();

    /** The session's maximum length. */
    Duration maxSessionLength();

    /** A session without a frame either way for this long is closed. */
    Duration idleTimeout();

    /** Called once, when the session starts and before any frame: the session's handle. */
    void start(Session session);

    /** Whether client frames are held, once upstream is open, until {@link Session#releaseHeld()}. */
    default boolean holdsClientFrames() {
        return false;
    }

    /** What becomes of one whole client message (text or binary: both are read as a JSON event). */
    Verdict fromClient(Buffer data);

    /** Whether the protocol reads an upstream event of this type (every other event passes byte for byte). */
    boolean readsUpstream(String type);

    /**
     * An upstream event the protocol reads ({@code error} events already scrubbed of secrets): the text the client
     * gets, the same instance when unchanged.
     */
    String fromUpstream(String type, String event);

    /** This session's usage, for the end log line. */
    String usageSummary();

    /** The session ended, by any path: stop the protocol's own timers, record what is left. */
    default void ended() {
    }

    /** The type of an event read from its bytes ({@link EventTypes}); {@link #DUPLICATE_TYPE} when it names two. */
    static String typeOf(Buffer data, JsonFactory json) {
        return EventTypes.of(data, json);
    }

    /** What {@link #typeOf} answers for a frame with two {@code type} members (compare by identity). */
    String DUPLICATE_TYPE = EventTypes.DUPLICATE;

    /** What becomes of one client message. */
    sealed interface Verdict permits Pass, Rewrite, Refuse, End {
    }

    /** Relay it as it came. */
    enum Pass implements Verdict {
        PASS
    }

    /** Relay this text instead, in a frame of the same kind. */
    record Rewrite(String text) implements Verdict {
    }

    /**
     * Relay nothing; {@code errorEvent} goes to the client and the session goes on.
     *
     * @param label the metric label ({@code gateway_realtime_events_refused_total{reason}}): one of a fixed set
     */
    record Refuse(String label, String errorEvent) implements Verdict {
    }

    /** Relay nothing; end the session with this protocol's error event (code and message) and close 1008 (policy). */
    record End(String code, String message) implements Verdict {
    }

    /** What a protocol may do to its session; call on the session's loop. */
    interface Session {

        /** Sends a frame of the gateway's own upstream, ahead of the held client frames; nothing once the session is over. */
        void sendUp(String text);

        /** The held client frames ({@link #holdsClientFrames()}) may follow now. */
        void releaseHeld();

        /** Upstream named its session: logged once ("session started"), shown on the console. */
        void upstreamStarted(String upstreamSessionId);

        /** Ends the session: this protocol's error event with {@code code} and {@code message}, then 1008 with the code as reason. */
        void endForPolicy(String code, String message);

        /** Ends the session because the identity's budget is spent: an error event, then 1008 {@code budget_exceeded}. */
        void endForBudget(String message);

        /** Ends the session because upstream refused or did not take the server instructions (1011). */
        void endInstructionsNotApplied(String why);

        /** The session's usage (the identity's day total and budget). */
        SessionUsage usage();

        /** Runs {@code tick} every {@code millis} on the session's loop until the session ends. */
        void every(long millis, Runnable tick);

        /** Whether the session is over (nothing more is relayed). */
        boolean finished();
    }
}
