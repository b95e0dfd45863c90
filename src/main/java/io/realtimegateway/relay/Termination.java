package io.realtimegateway.relay;

import java.time.Duration;

import io.realtimegateway.preflight.NetworkFailure;
import io.vertx.core.http.UpgradeRejectedException;

/**
 * Why the gateway ends a session that was relaying: a limit (idle, maximum length, message size, buffer and
 * in-flight bounds) or upstream failing to connect. The error event is sent only where OpenAI sends one itself
 * (idle, expiry); the others are told by the close code and reason. The factories below are every such close.
 *
 * @param reason the metric label
 * @param errorCode the error event's code, or null for the close frame alone
 * @param message the error event's message; the close reason is the same text, cut to 123 bytes
 */
record Termination(RelayMetrics.Terminated reason, String errorCode, String message, CloseCodes.Close close) implements InBandClose {

    /** The close reason of a session replaced by a newer connection with its reusable ticket (documented in docs/relay.md). */
    static final String REPLACED_REASON = "replaced by a new connection";
    /** The close reason of a session whose reusable ticket was revoked. */
    static final String REVOKED_REASON = "ticket revoked";
    /** The close reason of a session an operator ended from the console. */
    static final String KILLED_REASON = "ended from the console";

    private static Termination of(RelayMetrics.Terminated reason, int code, String errorCode, String message) {
        return new Termination(reason, errorCode, message, CloseCodes.reason(code, message));
    }

    static Termination idle(Duration idleTimeout) {
        return of(RelayMetrics.Terminated.IDLE_TIMEOUT, CloseCodes.NORMAL, "idle_timeout", "The session was idle for " + human(idleTimeout) + ".");
    }

    static Termination expired(Duration maxSessionLength) {
        return of(RelayMetrics.Terminated.MAX_SESSION_LENGTH, CloseCodes.GOING_AWAY, "session_expired",
                "Your session hit the maximum duration of " + human(maxSessionLength) + ".");
    }

    /** A message over the limit, from the client or from upstream. */
    static Termination tooBig(boolean fromClient, int limit) {
        return of(RelayMetrics.Terminated.MESSAGE_TOO_BIG, CloseCodes.TOO_BIG, null,
                (fromClient ? "" : "upstream ") + "message too big: limit is " + limit + " bytes");
    }

    /**
     * The client broke the WebSocket protocol (a reserved opcode, a stray continuation frame, a data frame inside a
     * fragmented message, a compressed frame without compression negotiated): the decoder's status (1002, 1007) and words.
     */
    static Termination protocolError(int code, String reason) {
        return of(RelayMetrics.Terminated.PROTOCOL_ERROR, code, null, reason);
    }

    /** More client frames, or bytes, than the relay holds before upstream is ready. */
    static Termination bufferOverflow(int maxFrames, long maxBytes) {
        return of(RelayMetrics.Terminated.BUFFER_OVERFLOW, CloseCodes.TRY_AGAIN, null,
                "too much sent before upstream was ready (bound " + maxFrames + " frames, " + maxBytes + " bytes)");
    }

    /** Upstream read nothing for the stall timeout while the relay held the client back. */
    static Termination slowUpstream(Duration stallTimeout) {
        return of(RelayMetrics.Terminated.SLOW_UPSTREAM, CloseCodes.TRY_AGAIN, null, "upstream too slow: stalled for " + human(stallTimeout));
    }

    /** The client read nothing for the stall timeout while the relay held upstream back. */
    static Termination slowClient(Duration stallTimeout) {
        return of(RelayMetrics.Terminated.SLOW_CLIENT, CloseCodes.POLICY, null, "client too slow to read: stalled for " + human(stallTimeout));
    }

    /** Upstream refused the server instructions, or did not acknowledge them in time: no client frame was relayed. */
    static Termination instructionsNotApplied(String why) {
        return of(RelayMetrics.Terminated.INSTRUCTIONS_NOT_APPLIED, CloseCodes.INTERNAL, null, "server instructions not applied (" + why + ")");
    }

    /** Upstream's connect failed: refused (an HTTP status instead of a switch of protocols), else unreachable. */
    static Termination upstreamFailed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UpgradeRejectedException rejected) {
                return upstreamRefused(rejected.getStatus());
            }
        }
        return upstreamUnreachable(NetworkFailure.describe(failure));
    }

    /** Upstream answered the handshake with an HTTP status instead of switching protocols. */
    static Termination upstreamRefused(int httpStatus) {
        return of(RelayMetrics.Terminated.UPSTREAM_REFUSED, CloseCodes.INTERNAL, null, "upstream refused the handshake (HTTP " + httpStatus + ")");
    }

    /** @param why in words: "connection refused", "no answer within 10 seconds", ... */
    static Termination upstreamUnreachable(String why) {
        return of(RelayMetrics.Terminated.UPSTREAM_UNREACHABLE, CloseCodes.INTERNAL, null, "upstream unreachable (" + why + ")");
    }

    /** The drain on SIGTERM ran out ({@code GATEWAY_SHUTDOWN_DRAIN}): 1001 with an error event, so clients reconnect elsewhere. */
    static Termination shuttingDown() {
        return of(RelayMetrics.Terminated.SHUTDOWN, CloseCodes.GOING_AWAY, "server_shutting_down", "gateway shutting down");
    }

    /** The session's lease was lost (an outage outlived its TTL) and its slot went to another session meanwhile: the caps hold. */
    static Termination leaseLost() {
        return of(RelayMetrics.Terminated.LEASE_LOST, CloseCodes.TRY_AGAIN, null, "session slot lost while the state store was unavailable; reconnect");
    }

    /**
     * A newer connection with the same reusable ticket took its one live session (an agent's reconnect that overtook
     * this socket's close): 1008 with this reason, so nobody mistakes it for a failure to retry.
     */
    static Termination replaced() {
        return of(RelayMetrics.Terminated.REPLACED, CloseCodes.POLICY, null, REPLACED_REASON);
    }

    /** An admin revoked the session's reusable ticket: 1008; the next connection with it is refused (401). */
    static Termination ticketRevoked() {
        return of(RelayMetrics.Terminated.TICKET_REVOKED, CloseCodes.POLICY, null, REVOKED_REASON);
    }

    /** The console's kill switch: 1008 with this reason, an operator's decision the client should not retry blindly. */
    static Termination killed() {
        return of(RelayMetrics.Terminated.KILLED, CloseCodes.POLICY, "session_ended_by_operator", KILLED_REASON);
    }

    static Termination connectTimeout(Duration timeout) {
        return upstreamUnreachable("no answer within " + human(timeout));
    }

    /** A client event the protocol's policy refuses to relay and that ends the session (GPT-Live's {@code session.start} rules): 1008. */
    static Termination policy(String code, String message) {
        return new Termination(RelayMetrics.Terminated.POLICY_VIOLATION, code, message, CloseCodes.reason(CloseCodes.POLICY, code + ": " + message));
    }

    /** The identity's budget for today is spent while the session runs (GPT-Live's seconds): 1008 {@code budget_exceeded}. */
    static Termination budgetExceeded(String message) {
        return new Termination(RelayMetrics.Terminated.BUDGET_EXCEEDED, "budget_exceeded", message,
                CloseCodes.reason(CloseCodes.POLICY, "budget_exceeded: " + message));
    }

    @Override
    public void count(RelayMetrics metrics) {
        metrics.terminated(reason);
    }

    /** A duration as people write it: "5 minutes", "30 seconds", "250 ms". */
    static String human(Duration d) {
        if (d.toSeconds() >= 60 && d.toSeconds() % 60 == 0) {
            return d.toMinutes() + " minutes";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " seconds" : d.toMillis() + " ms";
    }
}
