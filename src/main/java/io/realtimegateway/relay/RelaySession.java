package io.realtimegateway.relay;

import java.time.Duration;
import java.util.ArrayDeque;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.realtimegateway.config.RealtimeConfig;
import io.realtimegateway.preflight.NetworkFailure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;

/**
 * One relayed session: the client socket, its upstream socket, the frames buffered while upstream connects,
 * in-flight accounting per direction, timers, and the close handshake in both directions.
 * <p>
 * Frames are relayed as Vert.x frames: a complete text or binary frame is written to the other leg as it came
 * (no UTF-8 decoding, no copy); only the few events policy reads are decoded. Both legs live on the client
 * connection's event loop, so a relayed frame never changes threads.
 */
final class RelaySession {

    private static final Logger LOG = Logger.getLogger(RelaySession.class);

    private final ServerWebSocket client;
    private final SessionPlan plan;
    private final Deps deps;
    private final String relayId;
    private final long startNanos = System.nanoTime();

    private final Object lock = new Object();
    private WebSocket upstream; // guarded by lock; null until open
    private boolean finished; // guarded by lock; no more relaying once true
    private final ArrayDeque<Object> pending = new ArrayDeque<>(); // guarded by lock
    private long pendingBytes; // guarded by lock

    private final Reassembly fromClient = new Reassembly();
    private final Reassembly fromUpstream = new Reassembly();
    private final Direction up = new Direction();
    private final Direction down = new Direction();
    private volatile long lastActivity = System.nanoTime();
    private volatile String upstreamSessionId = "-";
    private volatile String upstreamClose = "-";
    private volatile String clientClose = "-";
    private long idleTimer = -1;
    private long deadlineTimer = -1;
    private long connectTimer = -1;

    /** The collaborators every session shares. */
    record Deps(RelayUpstream upstream, RelayPolicy policy, RelayMetrics metrics, RealtimeConfig config, Vertx vertx, SessionLimiter limiter) {
    }

    RelaySession(ServerWebSocket client, SessionPlan plan, Deps deps, String relayId) {
        this.client = client;
        this.plan = plan;
        this.deps = deps;
        this.relayId = relayId;
    }

    String identity() {
        return plan.identity();
    }

    /** Starts relaying: client handlers, timers, and the upstream connection. Call on the client's event loop. */
    void start() {
        client.frameHandler(frame -> onFrame(frame, fromClient, true));
        client.closeHandler(v -> clientClosed(closeCode(client), client.closeReason()));
        client.exceptionHandler(failure -> LOG.debugf("Client socket error in a realtime session: %s", failure.getClass().getName()));

        RealtimeConfig config = deps.config();
        long idleMillis = Math.max(1, config.idleTimeout().toMillis());
        idleTimer = deps.vertx().setPeriodic(Math.max(20, Math.min(idleMillis / 4, 5000)), id -> checkIdle(idleMillis));
        deadlineTimer = deps.vertx().setTimer(Math.max(1, config.maxSessionLength().toMillis()), id -> terminate(CloseCodes.GOING_AWAY,
                "Your session hit the maximum duration of " + human(config.maxSessionLength()) + ".", "session_expired", "max_session_length"));

        ClientWebSocket socket = deps.upstream().newSocket();
        socket.frameHandler(frame -> onFrame(frame, fromUpstream, false));
        socket.closeHandler(v -> upstreamClosed(closeCode(socket), socket.closeReason()));
        socket.exceptionHandler(failure -> LOG.debugf("Upstream socket error in a realtime session: %s", failure.getClass().getName()));
        long connectStart = System.nanoTime();
        connectTimer = deps.vertx().setTimer(Math.max(1, config.upstreamConnectTimeout().toMillis()),
                id -> upstreamFailed("upstream unreachable (no answer within " + human(config.upstreamConnectTimeout()) + ")", "upstream_unreachable"));
        socket.connect(deps.upstream().connectOptions(plan)).onComplete(result -> {
            if (result.succeeded()) {
                upstreamOpened(result.result(), connectStart);
            } else {
                upstreamFailed(result.cause());
            }
        });
    }

    // ---- frames, both directions

    /** A frame from either leg: data frames are reassembled into messages; control frames are Vert.x's business. */
    private void onFrame(WebSocketFrame frame, Reassembly reassembly, boolean fromClientLeg) {
        if (!frame.isText() && !frame.isBinary() && !frame.isContinuation()) {
            return; // close, ping, pong
        }
        if (frame.isFinal() && !frame.isContinuation() && reassembly.isEmpty()) {
            Buffer data = frame.binaryData();
            message(frame, data, frame.isText(), fromClientLeg);
            return;
        }
        // A fragmented message (rare): collected up to the message limit, then relayed as one message.
        if (!reassembly.add(frame, deps.config().maxMessageBytes())) {
            tooBig(fromClientLeg);
            return;
        }
        if (frame.isFinal()) {
            boolean text = reassembly.text();
            Buffer data = reassembly.take();
            message(text ? data.toString() : data, data, text, fromClientLeg);
        }
    }

    /**
     * One complete message. {@code message} is what gets written: the received frame itself, or a String or Buffer
     * for a reassembled one; {@code data} is its payload.
     */
    private void message(Object message, Buffer data, boolean text, boolean fromClientLeg) {
        lastActivity = System.nanoTime();
        int size = data.length();
        if (fromClientLeg) {
            deps.metrics().frameUp(size);
        } else {
            deps.metrics().frameDown(size);
        }
        if (size > deps.config().maxMessageBytes()) {
            tooBig(fromClientLeg);
            return;
        }
        if (fromClientLeg) {
            fromClient(text ? rewrite(message, data) : message, size);
        } else {
            fromUpstream(message, data, text, size);
        }
    }

    private void tooBig(boolean fromClientLeg) {
        terminate(CloseCodes.TOO_BIG, (fromClientLeg ? "" : "upstream ") + "message too big: limit is " + deps.config().maxMessageBytes() + " bytes",
                null, "message_too_big");
    }

    /** The client text message as it must go upstream: unchanged unless policy rewrites its type. */
    private Object rewrite(Object message, Buffer data) {
        String type = deps.policy().typeOf(data);
        if (!deps.policy().mayRewrite(type)) {
            return message;
        }
        String text = message instanceof String s ? s : data.toString();
        String rewritten = deps.policy().rewriteClientEvent(text, plan);
        return rewritten.equals(text) ? message : rewritten;
    }

    // ---- client -> upstream

    private void fromClient(Object message, int size) {
        up.frames++;
        up.bytes += size;
        WebSocket socket;
        synchronized (lock) {
            if (finished) {
                return;
            }
            socket = upstream;
            if (socket == null) {
                if (pending.size() >= deps.config().maxBufferedFrames() || pendingBytes + size > deps.config().maxBufferedBytes()) {
                    socket = null;
                } else {
                    pending.add(message);
                    pendingBytes += size;
                    return;
                }
            }
        }
        if (socket == null) {
            terminate(CloseCodes.TRY_AGAIN, "too many frames before upstream was ready (bound " + deps.config().maxBufferedFrames() + " frames)",
                    null, "buffer_overflow");
            return;
        }
        sendUp(socket, message, size);
    }

    private void sendUp(WebSocket socket, Object message, int size) {
        if (!up.admit(size, deps.config())) {
            terminate(CloseCodes.TRY_AGAIN, "upstream too slow: in-flight bound exceeded", null, "slow_upstream");
            return;
        }
        write(socket, message).onComplete(result -> up.written(size));
    }

    // ---- upstream -> client

    private void fromUpstream(Object message, Buffer data, boolean text, int size) {
        synchronized (lock) {
            if (finished) {
                return; // the session is over; this upstream is being closed
            }
        }
        down.frames++;
        down.bytes += size;
        String type = text ? deps.policy().typeOf(data) : null;
        if (!RelayPolicy.readsUpstream(type)) {
            sendDown(message, size);
            return;
        }
        // Decoded before the frame is written: writing hands its buffer to the transport.
        String event = message instanceof String s ? s : data.toString();
        if ("error".equals(type)) {
            String redacted = deps.policy().redactUpstreamError(event);
            sendDown(redacted.equals(event) ? message : redacted, size);
            return;
        }
        sendDown(message, size);
        if ("session.created".equals(type)) {
            sessionCreated(event);
        } else {
            countUsage(event);
        }
    }

    private void sessionCreated(String event) {
        ObjectNode parsed = deps.policy().parseObject(event);
        if (parsed != null) {
            upstreamSessionId = parsed.path("session").path("id").asText("-");
        }
        deps.policy().instructionsUpdate(plan).ifPresent(update -> {
            WebSocket socket;
            synchronized (lock) {
                socket = upstream;
            }
            if (socket != null) {
                sendUp(socket, update, update.length());
            }
        });
        LOG.infof("Realtime session started: identity=%s upstream_session=%s model=%s relay=%s", plan.identity(), upstreamSessionId,
                plan.transcription() ? "intent=transcription" : plan.model(), relayId);
    }

    private void countUsage(String event) {
        ObjectNode parsed = deps.policy().parseObject(event);
        JsonNode usage = parsed == null ? null : parsed.path("response").path("usage");
        if (usage != null && usage.isObject()) {
            deps.metrics().tokens("input", usage.path("input_tokens").asLong());
            deps.metrics().tokens("output", usage.path("output_tokens").asLong());
            deps.metrics().tokens("total", usage.path("total_tokens").asLong());
        }
    }

    private void sendDown(Object message, int size) {
        if (!down.admit(size, deps.config())) {
            terminate(CloseCodes.POLICY, "client too slow to read: in-flight bound exceeded", null, "slow_client");
            return;
        }
        write(client, message).onComplete(result -> down.written(size));
    }

    private static Future<Void> write(WebSocketBase socket, Object message) {
        if (message instanceof WebSocketFrame frame) {
            return socket.writeFrame(frame);
        }
        return message instanceof String text ? socket.writeTextMessage(text) : socket.writeBinaryMessage((Buffer) message);
    }

    // ---- lifecycle

    private void upstreamOpened(WebSocket socket, long connectStart) {
        deps.vertx().cancelTimer(connectTimer);
        deps.metrics().upstreamConnected(Duration.ofNanos(System.nanoTime() - connectStart));
        synchronized (lock) {
            if (finished) {
                // The client left, or the connect timer fired, while upstream was connecting.
                socket.close((short) CloseCodes.NORMAL, "closed by gateway");
                return;
            }
            while (!pending.isEmpty()) {
                Object message = pending.poll();
                sendUp(socket, message, size(message));
            }
            pendingBytes = 0;
            upstream = socket;
            lastActivity = System.nanoTime(); // idle time counts from here: connecting has its own timeout
        }
    }

    private void upstreamFailed(Throwable failure) {
        UpgradeRejectedException rejected = find(failure, UpgradeRejectedException.class);
        if (rejected != null) {
            upstreamFailed("upstream refused the handshake (HTTP " + rejected.getStatus() + ")", "upstream_refused");
        } else {
            upstreamFailed("upstream unreachable (" + NetworkFailure.describe(failure) + ")", "upstream_unreachable");
        }
    }

    private void upstreamFailed(String reason, String metric) {
        deps.vertx().cancelTimer(connectTimer);
        synchronized (lock) {
            if (finished) {
                return;
            }
        }
        LOG.warnf("Realtime session for %s could not reach upstream %s: %s", plan.identity(), deps.upstream().url(plan), reason);
        upstreamClose = "connect-failed";
        terminate(CloseCodes.INTERNAL, reason, null, metric);
    }

    /**
     * Upstream closed. Without a close frame (the connection dropped) there is no status: that is 1006, which the
     * client must see as 1011, not as a clean close.
     */
    private void upstreamClosed(int code, String reason) {
        upstreamClose = Integer.toString(code);
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
        }
        CloseCodes.Close mirrored = CloseCodes.fromUpstream(code, reason);
        clientClose = Integer.toString(mirrored.code());
        client.close((short) mirrored.code(), mirrored.reason());
    }

    /**
     * The gateway ends the session: an optional OpenAI-shaped error event, then the client close; upstream gets a
     * normal close.
     */
    void terminate(int code, String reason, String errorCode, String metric) {
        WebSocket socket;
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
            socket = upstream;
            pending.clear();
        }
        deps.metrics().refused(metric);
        CloseCodes.Close close = CloseCodes.reason(code, reason);
        clientClose = Integer.toString(close.code());
        Future<Void> first = errorCode == null ? Future.succeededFuture()
                : client.writeTextMessage(deps.policy().errorEvent("invalid_request_error", errorCode, reason));
        first.onComplete(result -> client.close((short) close.code(), close.reason()));
        if (socket != null && !socket.isClosed()) {
            socket.close((short) CloseCodes.NORMAL, "closed by gateway");
        }
    }

    /** The client connection is gone (it closed, vanished, or we closed it): close upstream now and report. */
    private void clientClosed(int code, String reason) {
        WebSocket socket;
        synchronized (lock) {
            socket = upstream;
            finished = true;
            pending.clear();
        }
        if ("-".equals(clientClose)) {
            clientClose = Integer.toString(code);
        }
        if (socket != null && !socket.isClosed()) {
            CloseCodes.Close close = CloseCodes.fromClient(code, reason);
            socket.close((short) close.code(), close.reason());
        }
        deps.vertx().cancelTimer(idleTimer);
        deps.vertx().cancelTimer(deadlineTimer);
        deps.vertx().cancelTimer(connectTimer);
        deps.limiter().release(plan.identity());
        deps.metrics().closed(clientCloseCode(code));
        LOG.infof("Realtime session ended: identity=%s upstream_session=%s duration=%s frames_up=%d bytes_up=%d frames_down=%d bytes_down=%d"
                + " close_client=%s close_upstream=%s relay=%s", plan.identity(), upstreamSessionId,
                Duration.ofNanos(System.nanoTime() - startNanos), up.frames, up.bytes, down.frames, down.bytes,
                clientClose, upstreamClose, relayId);
    }

    private int clientCloseCode(int fallback) {
        try {
            return Integer.parseInt(clientClose);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private void checkIdle(long idleMillis) {
        if (System.nanoTime() - lastActivity > idleMillis * 1_000_000L) {
            terminate(CloseCodes.NORMAL, "The session was idle for " + human(deps.config().idleTimeout()) + ".", "idle_timeout", "idle_timeout");
        }
    }

    /** A socket's received close status; 1005 when the close frame had none, 1006 when there was no close frame. */
    private static int closeCode(WebSocketBase socket) {
        Short status = socket.closeStatusCode();
        if (status != null) {
            return status;
        }
        return socket.closeReason() != null ? 1005 : 1006;
    }

    private static int size(Object message) {
        if (message instanceof WebSocketFrame frame) {
            return frame.binaryData().length();
        }
        // A String's UTF-16 length is a lower bound of its UTF-8 size; exact enough for accounting and bounds.
        return message instanceof String text ? text.length() : ((Buffer) message).length();
    }

    private static String human(Duration d) {
        if (d.toSeconds() >= 60 && d.toSeconds() % 60 == 0) {
            return d.toMinutes() + " minutes";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " seconds" : d.toMillis() + " ms";
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Counters and the in-flight bound of one direction; touched only on the session's event loop. */
    private static final class Direction {
        long frames;
        long bytes;
        private int inFlightFrames;
        private long inFlightBytes;

        /** Counts a message as in flight, or refuses it when the peer is too far behind. */
        boolean admit(int size, RealtimeConfig config) {
            if (inFlightFrames + 1 > config.maxInFlightFrames() || inFlightBytes + size > config.maxInFlightBytes()) {
                return false;
            }
            inFlightFrames++;
            inFlightBytes += size;
            return true;
        }

        void written(int size) {
            inFlightFrames--;
            inFlightBytes -= size;
        }
    }

    /** The frames of one fragmented message, bounded by the message limit. */
    private static final class Reassembly {
        private Buffer data;
        private boolean text;

        boolean isEmpty() {
            return data == null;
        }

        boolean text() {
            return text;
        }

        /** Adds a fragment; false when the message would exceed {@code limit} bytes. */
        boolean add(WebSocketFrame frame, int limit) {
            Buffer payload = frame.binaryData();
            if (data == null) {
                data = Buffer.buffer();
                text = frame.isText();
            }
            if ((long) data.length() + payload.length() > limit) {
                data = null;
                return false;
            }
            data.appendBuffer(payload);
            return true;
        }

        Buffer take() {
            Buffer whole = data;
            data = null;
            return whole;
        }
    }
}
