package io.realtimegateway.realtime;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import io.realtimegateway.config.Verbatim;
import io.realtimegateway.config.ZeroAllowed;

/** The OpenAI Realtime relay: tickets, allowed models, session policy and limits. */
@ConfigMapping(prefix = "gateway.realtime")
public interface RealtimeConfig {

    /** {@code false} turns the relay off, so no OpenAI key is needed; from {@code GATEWAY_REALTIME_ENABLED}. */
    @WithDefault("true")
    boolean enabled();

    /** HS256 secret that signs relay tickets (at least {@code SecretLint.MIN_SECRET_LENGTH} characters); from {@code GATEWAY_REALTIME_TICKET_SECRET}. Required in prod; generated per boot in dev and test when unset. */
    @Verbatim
    Optional<String> ticketSecret();

    /** How long a ticket may be used to open a session (it is single-use). */
    @WithDefault("60s")
    Duration ticketTtl();

    /**
     * A reusable ticket (an API-key caller's, for one conversation) expires after this long without a live session;
     * from {@code GATEWAY_REALTIME_REUSABLE_TICKET_IDLE}.
     */
    @WithDefault("15m")
    Duration reusableTicketIdle();

    /** A reusable ticket's absolute lifetime, however active; from {@code GATEWAY_REALTIME_REUSABLE_TICKET_MAX_AGE}. */
    @WithDefault("12h")
    Duration reusableTicketMaxAge();

    /** How many used ticket ids are remembered to refuse replays; redemption fails closed when full. */
    @WithDefault("100000")
    int usedTicketCapacity();

    /** Models the relay allows, comma-separated; the first is the default; from {@code GATEWAY_REALTIME_MODELS}. */
    @WithDefault("gpt-realtime")
    List<String> models();

    /** Server instructions sent after {@code session.created}; clients cannot replace them. */
    Optional<String> instructions();

    /**
     * With server instructions, the longest combined instructions (the server's, a blank line, then a trusted
     * session's own) in characters; longer ones are refused with {@code instructions_too_long}. From
     * {@code GATEWAY_REALTIME_MAX_INSTRUCTIONS_LENGTH}.
     */
    @WithDefault("32768")
    int maxInstructionsLength();

    /** With server instructions, remove {@code session.instructions} from the {@code session.*} events clients receive. */
    @WithDefault("true")
    boolean redactInstructions();

    /** With server instructions, how long client frames wait for upstream to acknowledge them before the session closes (1011). */
    @WithDefault("10s")
    Duration instructionsAckTimeout();

    /** Maximum session length (OpenAI's own cap is 60 minutes). */
    @WithDefault("30m")
    Duration maxSessionLength();

    /** A session without a frame in either direction for this long is closed. */
    @WithDefault("5m")
    Duration idleTimeout();

    /**
     * Concurrent sessions one identity may hold: a single-use ticket's caller, or a reusable ticket's conversation
     * ({@code <caller>/<identity>}).
     */
    @WithDefault("5")
    int maxSessionsPerIdentity();

    /**
     * Concurrent sessions one caller may hold over all its identities (a backend's API key across its conversations);
     * from {@code GATEWAY_REALTIME_MAX_SESSIONS_PER_CALLER}. 0, the default, sets no cap of its own: the caller is
     * bounded by {@link #maxSessions()}, since one backend is often the only caller of its gateway.
     */
    @WithDefault("0")
    @ZeroAllowed
    int maxSessionsPerCaller();

    /** Concurrent sessions in total. */
    @WithDefault("200")
    int maxSessions();

    /**
     * Largest text or binary message accepted in either direction, in bytes; larger ones close with 1009. Also the
     * client leg's WebSocket frame limit; the upstream leg's transport limit is twice this.
     */
    @WithDefault("16777216")
    int maxMessageBytes();

    /** Client frames held per session while upstream connects (and, with server instructions, until upstream took them). */
    @WithDefault("256")
    int maxPendingFrames();

    /** Client bytes held per session while upstream connects (and, with server instructions, until upstream took them); over it, 1013. */
    @WithDefault("2097152")
    long maxPendingBytes();

    /**
     * Budget for everything the relay holds, all sessions together (held, reassembled and unwritten bytes); from
     * {@code GATEWAY_REALTIME_MAX_BUFFERED_BYTES}. While it is spent, new sessions are refused with 1013.
     */
    @WithDefault("268435456")
    long maxBufferedBytes();

    /** Unwritten sends per direction at which the relay stops reading the other leg until the peer catches up. */
    @WithDefault("1024")
    int maxInFlightFrames();

    /** Unwritten bytes per direction at which the relay stops reading the other leg until the peer catches up. */
    @WithDefault("1048576")
    long maxInFlightBytes();

    /** A peer that reads nothing for this long while the relay waits on it is closed (1008 client, 1013 upstream). */
    @WithDefault("30s")
    Duration stallTimeout();

    /** Time allowed to open the upstream WebSocket. */
    @WithDefault("10s")
    Duration upstreamConnectTimeout();

    /** The circuit breaker in front of the upstream ({@code io.realtimegateway.relay.UpstreamBreaker}). */
    UpstreamBreaker upstreamBreaker();

    /** When the relay stops dialling an upstream it cannot reach, and how often it tries again. */
    interface UpstreamBreaker {
        /** Consecutive upstream connection failures (unreachable, refused, no answer) that open the breaker. */
        @WithDefault("1")
        int failureThreshold();

        /** The wait before the first probe once the breaker is open. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** The longest wait between probes (each failed probe doubles the wait up to this). */
        @WithDefault("30s")
        Duration maxBackoff();
    }
}
