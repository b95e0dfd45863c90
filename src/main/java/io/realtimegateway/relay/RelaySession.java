package io.realtimegateway.relay;

import java.time.Duration;
import java.time.Instant;

import org.jboss.logging.Logger;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;


import io.realtimegateway.auth.Identities;
import io.realtimegateway.health.FatalErrors;
import io.realtimegateway.realtime.RealtimeConfig;
import io.realtimegateway.state.TicketKeep;
import io.realtimegateway.state.Usage;
import io.realtimegateway.tracing.SessionTrace;
import io.realtimegateway.usage.UsageMeter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;

/**
 * One relayed session, of either protocol ({@link RelayProtocol}: Realtime or GPT-Live): the two sockets, the client
 * messages held while upstream connects, the timers, the protocol's policy on the few events it reads, and the close
 * handshake both ways. Reassembly, accounting, close mapping and the
 * gateway's own closes are their own types ({@link Reassembly}, {@link DirectionAccount}, {@link CloseCodes},
 * {@link Termination}).
 * <p>
 * <b>Threading.</b> A session runs on one thread, the client connection's event loop: the client's handlers run
 * there, {@link #start()} is called there, and from there Vert.x binds the upstream connection, its handlers, the
 * timers and every write completion to that same loop (see {@link RelayUpstream#newSocket()}). So there is no lock
 * and no volatile, and a relayed frame never changes threads. Assertions (on in tests, compiled away otherwise)
 * check it at every entry point.
 * <p>
 * <b>Hot path.</b> What is written to a leg is always a {@link WebSocketFrame}: nearly always the received frame
 * itself (no UTF-8 decoding, no copy, no wrapper), else one built for a reassembled or rewritten message.
 * <p>
 * One class because its state (the held frames, the instructions hold, both legs' pause state
 * and the timers) changes only on this loop and together; split further, every part would need the others' fields.
 */
final class RelaySession implements SessionRegistry.Live {

    private static final Logger LOG = Logger.getLogger(RelaySession.class);
    /** The child span of the upstream dial (TCP, TLS, the upgrade): where a slow session start comes from. */
    static final String DIAL_SPAN = "gateway.upstream.connect";

    /** The collaborators every session shares. */
    record Deps(RelayUpstream upstream, RelayPolicy policy, RelayMetrics metrics, RealtimeConfig config, Vertx vertx, SessionLimiter limiter,
            SessionRegistry sessions, RelayBudget budget, UsageMeter usage, UpstreamBreaker breaker) {
    }

    private final ServerWebSocket client;
    private final String identity;
    private final RelayProtocol protocol;
    private final Deps deps;
    private final String relayId;
    private final long startNanos = System.nanoTime();
    private final Instant startedAt = Instant.now();
    private final int maxMessageBytes;
    private final Reassembly clientMessages;
    private final Reassembly upstreamMessages;
    private final DirectionAccount up;
    private final DirectionAccount down;
    private final PendingMessages pending;
    private final FrameErrors frameErrors; // null when the connection's pipeline could not be reached
    private final SessionTrace trace; // its counters are set once, at the close (SessionRegistry); never per frame
    private SessionTrace dial = SessionTrace.NONE; // the upstream connect, a child of trace

    private Thread loop;
    private Context context;
    private final SessionLease lease;
    private final SessionUsage usage;
    private WebSocket upstream; // null until open
    private boolean finished; // no more relaying once true
    private long lastActivity = System.nanoTime();
    private String upstreamSessionId = "-";
    private String upstreamClose = "-";
    private int clientClose = -1; // the code the client was sent or sent itself, once known
    private long idleTimer = -1;
    private long deadlineTimer = -1;
    private long connectTimer = -1;
    private long instructionsTimer = -1;
    private boolean awaitingInstructions; // client frames are held until the protocol releases them (the server instructions are taken)
    private boolean connectReported;
    private boolean inUpstreamEvent; // the protocol is reading an upstream event: a termination it asks for waits until the event went down
    private Termination deferred;
    private final java.util.List<Long> protocolTimers = new java.util.ArrayList<>(); // the breaker heard how this session's dial ended (the timer and the connect may both end it)

    RelaySession(ServerWebSocket client, String identity, RelayProtocol protocol, Deps deps, String relayId, SessionLease lease, FrameErrors frameErrors,
            SessionTrace trace) {
        this.client = client;
        this.trace = trace;
        this.frameErrors = frameErrors;
        this.lease = lease;
        this.usage = new SessionUsage(deps.usage(), identity);
        this.identity = identity;
        this.protocol = protocol;
        this.deps = deps;
        this.relayId = relayId;
        RealtimeConfig config = deps.config();
        this.maxMessageBytes = config.maxMessageBytes();
        this.clientMessages = new Reassembly(maxMessageBytes, () -> terminate(Termination.tooBig(true, maxMessageBytes)), deps.budget());
        this.upstreamMessages = new Reassembly(maxMessageBytes, () -> terminate(Termination.tooBig(false, maxMessageBytes)), deps.budget());
        this.up = new DirectionAccount(deps.metrics().clientToUpstream(), deps.budget(), config.maxInFlightFrames(), config.maxInFlightBytes());
        this.down = new DirectionAccount(deps.metrics().upstreamToClient(), deps.budget(), config.maxInFlightFrames(), config.maxInFlightBytes());
        this.pending = new PendingMessages(config.maxPendingFrames(), config.maxPendingBytes(), deps.budget());
        this.awaitingInstructions = protocol.holdsClientFrames();
    }

    /** Starts relaying: client handlers, timers, and the upstream connection. Call on the client's event loop. */
    void start() {
        loop = Thread.currentThread();
        context = deps.vertx().getOrCreateContext();
        deps.sessions().opened(this);
        client.frameHandler(this::fromClient);
        client.drainHandler(v -> down.resumeIfCaughtUp());
        up.readsFrom(client);
        client.closeHandler(v -> clientClosed(CloseCodes.received(client), client.closeReason()));
        client.exceptionHandler(failure -> {
            FatalErrors.check(failure);
            LOG.debugf("Client socket error in a realtime session: %s", failure.getClass().getName());
        });
        if (frameErrors != null) {
            frameErrors.onViolation(this::protocolViolation);
        }

        RealtimeConfig config = deps.config();
        long idleMillis = Math.max(1, protocol.idleTimeout().toMillis());
        idleTimer = deps.vertx().setPeriodic(Math.max(20, Math.min(idleMillis / 4, 5000)), id -> checkIdle(idleMillis));
        deadlineTimer = deps.vertx().setTimer(Math.max(1, protocol.maxSessionLength().toMillis()),
                id -> terminate(Termination.expired(protocol.maxSessionLength())));
        lease.keep(usage::refresh, () -> terminate(Termination.leaseLost()),
                ended -> terminate(ended == TicketKeep.REVOKED ? Termination.ticketRevoked() : Termination.replaced()));
        usage.refresh();
        protocol.start(new Handle());

        ClientWebSocket socket = deps.upstream().newSocket();
        socket.frameHandler(this::fromUpstream);
        socket.drainHandler(v -> up.resumeIfCaughtUp());
        down.readsFrom(socket);
        socket.closeHandler(v -> upstreamClosed(CloseCodes.received(socket), socket.closeReason()));
        socket.exceptionHandler(failure -> {
            FatalErrors.check(failure);
            LOG.debugf("Upstream socket error in a realtime session: %s", failure.getClass().getName());
        });
        long connectStart = System.nanoTime();
        connectTimer = deps.vertx().setTimer(Math.max(1, config.upstreamConnectTimeout().toMillis()),
                id -> upstreamFailed(Termination.connectTimeout(config.upstreamConnectTimeout())));
        WebSocketConnectOptions options = deps.upstream().connectOptions(protocol.upstreamUri(), identity);
        dial = trace.child(DIAL_SPAN);
        dial.inject(options::addHeader);
        socket.connect(options).onComplete(result -> {
            if (result.succeeded()) {
                upstreamOpened(result.result(), connectStart);
            } else {
                upstreamFailed(Termination.upstreamFailed(result.cause()));
            }
        });
    }

    /** Ends the session for the drain on SIGTERM (from any thread): the error event, 1001, and upstream closed normally. */
    @Override
    public void shutDown() {
        context.runOnContext(v -> terminate(Termination.shuttingDown()));
    }

    /** The console's kill switch: ends the session in-band (1008) on its loop. */
    @Override
    public boolean kill() {
        context.runOnContext(v -> terminate(Termination.killed()));
        return true;
    }

    private boolean onLoop() {
        return Thread.currentThread() == loop;
    }

    /**
     * A whole message from either leg: counted, then its payload, or null when nothing is to be relayed (it is over
     * the limit, which ends the session, or the session is over already).
     */
    private Buffer accept(WebSocketFrame message, DirectionAccount account, boolean fromClientLeg) {
        Buffer data = message.binaryData();
        lastActivity = System.nanoTime();
        account.received(data.length());
        if (data.length() > maxMessageBytes) {
            terminate(Termination.tooBig(fromClientLeg, maxMessageBytes));
            return null;
        }
        return finished ? null : data;
    }

    /** The client broke the protocol or sent a frame over the limit ({@link FrameErrors}): closed in-band, never cut. */
    private void protocolViolation(CorruptedWebSocketFrameException violation) {
        assert onLoop() : "protocol error off the session's event loop";
        int code = violation.closeStatus().code();
        terminate(code == CloseCodes.TOO_BIG ? Termination.tooBig(true, maxMessageBytes)
                : Termination.protocolError(code, FrameErrors.reason(violation)));
    }

    // ---- client -> upstream

    private void fromClient(WebSocketFrame frame) {
        assert onLoop() : "client frame off the session's event loop";
        WebSocketFrame message = clientMessages.message(frame);
        Buffer data = message == null ? null : accept(message, up, true);
        if (data == null) {
            return;
        }
        int size = data.length();
        // Binary frames too: upstream reads a JSON event from either kind, so the policy must read both.
        message = inspect(message, data);
        if (message == null) {
            return;
        }
        if (upstream != null && !awaitingInstructions) {
            sendUp(message, size);
        } else if (!pending.offer(message, size)) {
            terminate(Termination.bufferOverflow(deps.config().maxPendingFrames(), deps.config().maxPendingBytes()));
        }
    }

    /** The client message as it must go upstream (the same frame unless the protocol rewrites it, in a frame of its kind); null when refused. */
    private WebSocketFrame inspect(WebSocketFrame message, Buffer data) {
        RelayProtocol.Verdict verdict = protocol.fromClient(data);
        if (verdict == RelayProtocol.Pass.PASS) {
            return message;
        }
        if (verdict instanceof RelayProtocol.Rewrite rewrite) {
            return frameLike(message, rewrite.text());
        }
        if (verdict instanceof RelayProtocol.End end) {
            terminate(Termination.policy(end.code(), end.message()));
            return null;
        }
        RelayProtocol.Refuse refused = (RelayProtocol.Refuse) verdict;
        deps.metrics().eventRefused(refused.label());
        sendDown(WebSocketFrame.textFrame(refused.errorEvent(), true), refused.errorEvent().length());
        return null;
    }

    /** A rewritten event in a frame of the same kind as the one it replaces. */
    private static WebSocketFrame frameLike(WebSocketFrame original, String text) {
        return original.isBinary() ? WebSocketFrame.binaryFrame(Buffer.buffer(text), true) : WebSocketFrame.textFrame(text, true);
    }

    /** Writes to upstream; past the in-flight bound the client leg is paused until upstream catches up. */
    private void sendUp(WebSocketFrame message, int size) {
        up.sent(size);
        upstream.writeFrame(message).onComplete(result -> up.written(size));
    }

    // ---- upstream -> client

    private void fromUpstream(WebSocketFrame frame) {
        assert onLoop() : "upstream frame off the session's event loop";
        WebSocketFrame message = upstreamMessages.message(frame);
        Buffer data = message == null ? null : accept(message, down, false);
        if (data == null) {
            return;
        }
        int size = data.length();
        String type = deps.policy().typeOf(data); // binary frames too, as from the client
        if (!protocol.readsUpstream(type) && !"error".equals(type)) {
            sendDown(message, size);
            return;
        }
        // Decoded before the frame is written: writing hands its buffer to the transport.
        String event = data.toString();
        // Every protocol's error events are scrubbed of secrets alike (upstream quotes part of a rejected key).
        String scrubbed = "error".equals(type) ? deps.policy().redactUpstreamError(event) : event;
        inUpstreamEvent = true;
        String down;
        try {
            down = protocol.readsUpstream(type) ? protocol.fromUpstream(type, scrubbed) : scrubbed;
        } finally {
            inUpstreamEvent = false;
        }
        sendDown(down.equals(event) ? message : frameLike(message, down), size);
        if (deferred != null) {
            terminate(deferred);
        }
    }

    /** The protocol's handle on this session ({@link RelayProtocol.Session}); every call on the session's loop. */
    private final class Handle implements RelayProtocol.Session {

        @Override
        public void sendUp(String text) {
            if (upstream != null && !finished) {
                RelaySession.this.sendUp(WebSocketFrame.textFrame(text, true), text.length());
            }
        }

        @Override
        public void releaseHeld() {
            if (awaitingInstructions) {
                awaitingInstructions = false;
                deps.vertx().cancelTimer(instructionsTimer);
                flushPending();
            }
        }

        @Override
        public void upstreamStarted(String upstreamSessionId) {
            upstreamSessionId(upstreamSessionId);
        }

        @Override
        public void endForPolicy(String code, String message) {
            end(Termination.policy(code, message));
        }

        @Override
        public void endForBudget(String message) {
            end(Termination.budgetExceeded(message));
        }

        @Override
        public void endInstructionsNotApplied(String why) {
            end(Termination.instructionsNotApplied(why));
        }

        private void end(Termination termination) {
            if (inUpstreamEvent) {
                deferred = deferred == null ? termination : deferred;
            } else {
                terminate(termination);
            }
        }

        @Override
        public SessionUsage usage() {
            return usage;
        }

        @Override
        public void every(long millis, Runnable tick) {
            if (!finished) {
                protocolTimers.add(deps.vertx().setPeriodic(Math.max(1, millis), id -> {
                    if (!finished) {
                        tick.run();
                    }
                }));
            }
        }

        @Override
        public boolean finished() {
            return finished;
        }
    }

    private void upstreamSessionId(String id) {
        upstreamSessionId = id;
        LOG.infof("%s session started: identity=%s upstream_session=%s model=%s relay=%s", protocol.kind(), Identities.loggable(identity),
                Identities.loggable(upstreamSessionId), protocol.label(), relayId);
    }

    private void flushPending() {
        for (PendingMessages.Held held = pending.poll(); held != null && !finished; held = pending.poll()) {
            sendUp(held.frame(), held.size());
        }
        pending.clear();
    }

    /** Writes to the client; past the in-flight bound the upstream leg is paused until the client catches up. */
    private void sendDown(WebSocketFrame message, int size) {
        down.sent(size);
        client.writeFrame(message).onComplete(result -> down.written(size));
    }

    // ---- lifecycle

    private void upstreamOpened(WebSocket socket, long connectStart) {
        assert onLoop() : "upstream opened off the session's event loop";
        deps.vertx().cancelTimer(connectTimer);
        dial.status(101).end();
        deps.metrics().upstreamConnected(Duration.ofNanos(System.nanoTime() - connectStart));
        if (!connectReported) {
            connectReported = true;
            deps.breaker().connected(protocol.upstreamUri().toString());
        }
        if (finished) {
            // The client left, or the connect timer fired, while upstream was connecting.
            socket.close((short) CloseCodes.NORMAL, "closed by gateway");
            return;
        }
        upstream = socket;
        if (awaitingInstructions) {
            // Client frames stay held until upstream has taken the server instructions, so none can race them.
            Duration ackTimeout = deps.config().instructionsAckTimeout();
            instructionsTimer = deps.vertx().setTimer(Math.max(1, ackTimeout.toMillis()),
                    id -> terminate(Termination.instructionsNotApplied("no acknowledgement within " + Termination.human(ackTimeout))));
        } else {
            flushPending();
        }
        lastActivity = System.nanoTime(); // idle time counts from here: connecting has its own timeout
    }

    private void upstreamFailed(Termination termination) {
        assert onLoop() : "upstream failure off the session's event loop";
        deps.vertx().cancelTimer(connectTimer);
        dial.error(termination.reason().label()).end();
        // Reported even when the session is over (the client left while it connected): the upstream's state is news.
        if (!connectReported) {
            connectReported = true;
            deps.breaker().failed(identity, protocol.upstreamUri().toString(), termination.message(),
                    termination.reason() == RelayMetrics.Terminated.UPSTREAM_UNREACHABLE);
        }
        if (finished) {
            return;
        }
        upstreamClose = "connect-failed";
        terminate(termination);
    }

    /**
     * Upstream closed: mirrored to the client (its reason {@link RelayPolicy#scrub scrubbed} of secrets), except that a
     * dropped connection (1006) is 1011, not a clean close.
     */
    private void upstreamClosed(int code, String reason) {
        assert onLoop() : "upstream close off the session's event loop";
        upstreamClose = Integer.toString(code);
        if (finished) {
            return;
        }
        finished = true;
        CloseCodes.Close mirrored = CloseCodes.fromUpstream(code, deps.policy().scrub(reason));
        clientClose = mirrored.code();
        client.close((short) mirrored.code(), mirrored.reason());
    }

    /** The gateway ends the session: the client is told in-band; upstream gets a normal close. */
    private void terminate(Termination termination) {
        assert onLoop() : "termination off the session's event loop";
        if (finished) {
            return;
        }
        finished = true;
        pending.clear();
        termination.count(deps.metrics());
        clientClose = termination.close().code();
        termination.sendTo(client, protocol);
        if (upstream != null && !upstream.isClosed()) {
            upstream.close((short) CloseCodes.NORMAL, "closed by gateway");
        }
    }

    /** The client connection is gone (it closed, vanished, or we closed it): close upstream now and report. */
    private void clientClosed(int code, String reason) {
        assert onLoop() : "client close off the session's event loop";
        finished = true;
        pending.clear();
        if (clientClose < 0) {
            clientClose = code;
        }
        if (upstream != null && !upstream.isClosed()) {
            CloseCodes.Close close = CloseCodes.fromClient(code, reason);
            upstream.close((short) close.code(), close.reason());
        }
        deps.vertx().cancelTimer(idleTimer);
        deps.vertx().cancelTimer(deadlineTimer);
        deps.vertx().cancelTimer(connectTimer);
        deps.vertx().cancelTimer(instructionsTimer);
        protocolTimers.forEach(deps.vertx()::cancelTimer);
        protocol.ended();
        clientMessages.release();
        upstreamMessages.release();
        up.publish();
        down.publish();
        lease.release();
        deps.metrics().closed(clientClose);
        deps.sessions().closed(snapshot(), clientClose, upstreamClose);
        // A session that never reached upstream: the breaker's throttled WARNs say why, so its end line is throttled too.
        Logger.Level level = !"connect-failed".equals(upstreamClose) || deps.breaker().logsConnectFailedEnd() ? Logger.Level.INFO : Logger.Level.DEBUG;
        LOG.logf(level, "%s session ended: identity=%s upstream_session=%s duration=%s frames_up=%d bytes_up=%d frames_down=%d bytes_down=%d"
                + " close_client=%s close_upstream=%s usage=%s relay=%s", protocol.kind(), Identities.loggable(identity), Identities.loggable(upstreamSessionId),
                Duration.ofNanos(System.nanoTime() - startNanos), up.frames(), up.bytes(), down.frames(), down.bytes(),
                clientClose, upstreamClose, protocol.usageSummary(), relayId);
    }

    // ---- for SessionRegistry

    @Override
    public String id() {
        return relayId;
    }

    @Override
    public Context context() {
        return context;
    }

    @Override
    public SessionTrace trace() {
        return trace;
    }

    /** The console's view of this session; call on its loop (the registry does). */
    @Override
    public SessionRegistry.LiveSession snapshot() {
        assert onLoop() : "session snapshot off the session's event loop";
        return new SessionRegistry.LiveSession(relayId, identity, protocol.label(), startedAt,
                upstreamSessionId, new SessionRegistry.Traffic(up.frames(), up.bytes()), new SessionRegistry.Traffic(down.frames(), down.bytes()), SessionRegistry.Tokens.of(usage.session()),
                SessionRegistry.WEBSOCKET, protocol.sessionType(), protocol.seconds(), protocol.secondsLeft());
    }

    /** The periodic check: the traffic counts go to the shared meters; a peer stalled past the stall timeout is closed, then an idle session. */
    private void checkIdle(long idleMillis) {
        up.publish();
        down.publish();
        long now = System.nanoTime();
        Duration stall = deps.config().stallTimeout();
        if (down.stalledLongerThan(stall.toNanos(), now)) {
            terminate(Termination.slowClient(stall));
        } else if (up.stalledLongerThan(stall.toNanos(), now)) {
            terminate(Termination.slowUpstream(stall));
        } else if (now - lastActivity > idleMillis * 1_000_000L) {
            terminate(Termination.idle(protocol.idleTimeout()));
        }
    }
}
