package io.realtimegateway.realtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketClientConnection;
import io.quarkus.websockets.next.WebSocketConnection;
import io.realtimegateway.config.RealtimeConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;

/**
 * One relayed session: the client connection, its upstream connection, the frames buffered while upstream
 * connects, in-flight accounting per direction, timers, and the close handshake in both directions.
 */
final class RelaySession {

    private static final Logger LOG = Logger.getLogger(RelaySession.class);

    private final WebSocketConnection client;
    private final SessionPlan plan;
    private final Deps deps;
    private final long startNanos = System.nanoTime();

    private final Object lock = new Object();
    private WebSocketClientConnection upstream; // guarded by lock; null until open
    private boolean finished; // guarded by lock; no more relaying once true
    private final ArrayDeque<Object> pending = new ArrayDeque<>(); // guarded by lock
    private long pendingBytes; // guarded by lock

    private final AtomicLong framesUp = new AtomicLong();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong framesDown = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();
    private final AtomicInteger inFlightUpFrames = new AtomicInteger();
    private final AtomicLong inFlightUpBytes = new AtomicLong();
    private final AtomicInteger inFlightDownFrames = new AtomicInteger();
    private final AtomicLong inFlightDownBytes = new AtomicLong();
    private volatile long lastActivity = System.nanoTime();
    private volatile String upstreamSessionId = "-";
    private volatile String upstreamClose = "-";
    private volatile String clientClose = "-";
    private long idleTimer = -1;
    private long deadlineTimer = -1;

    /** The collaborators every session shares. */
    record Deps(RelayUpstream upstream, RelayPolicy policy, RelayMetrics metrics, RealtimeConfig config, Vertx vertx,
            Instance<BasicWebSocketConnector> connectors) {
    }

    RelaySession(WebSocketConnection client, SessionPlan plan, Deps deps) {
        this.client = client;
        this.plan = plan;
        this.deps = deps;
    }

    String identity() {
        return plan.identity();
    }

    void start() {
        RealtimeConfig config = deps.config();
        long idleMillis = Math.max(1, config.idleTimeout().toMillis());
        idleTimer = deps.vertx().setPeriodic(Math.max(20, Math.min(idleMillis / 4, 5000)), id -> checkIdle(idleMillis));
        deadlineTimer = deps.vertx().setTimer(Math.max(1, config.maxSessionLength().toMillis()), id -> terminate(CloseCodes.GOING_AWAY,
                "Your session hit the maximum duration of " + human(config.maxSessionLength()) + ".", "session_expired", "max_session_length"));

        BasicWebSocketConnector connector = deps.connectors().get()
                .baseUri(deps.upstream().baseUri(plan))
                .path(RelayUpstream.PATH)
                .executionModel(BasicWebSocketConnector.ExecutionModel.NON_BLOCKING)
                .onTextMessage((up, text) -> fromUpstream(text))
                .onBinaryMessage((up, data) -> fromUpstream(data))
                .onClose((up, reason) -> upstreamClosed(actualClose(up, reason)))
                .onError((up, failure) -> LOG.debugf("Upstream error in a realtime session: %s", failure.getClass().getName()));
        for (Map.Entry<String, String> header : deps.upstream().headers().entrySet()) {
            connector.addHeader(header.getKey(), header.getValue());
        }
        long connectStart = System.nanoTime();
        connector.connect()
                .ifNoItem().after(config.upstreamConnectTimeout()).fail()
                .subscribe().with(up -> upstreamOpened(up, connectStart), this::upstreamFailed);
    }

    // ---- client -> upstream

    void fromClient(Object frame) {
        lastActivity = System.nanoTime();
        long size = size(frame);
        framesUp.incrementAndGet();
        bytesUp.addAndGet(size);
        deps.metrics().frameUp(size);
        if (size > deps.config().maxMessageBytes()) {
            terminate(CloseCodes.TOO_BIG, "message too big: limit is " + deps.config().maxMessageBytes() + " bytes", null, "message_too_big");
            return;
        }
        Object out = frame instanceof String text ? deps.policy().rewriteClientEvent(text, plan) : frame;
        WebSocketClientConnection up;
        synchronized (lock) {
            if (finished) {
                return;
            }
            up = upstream;
            if (up == null) {
                if (pending.size() >= deps.config().maxBufferedFrames() || pendingBytes + size > deps.config().maxBufferedBytes()) {
                    up = null;
                } else {
                    pending.add(out);
                    pendingBytes += size;
                    return;
                }
            }
        }
        if (up == null) {
            terminate(CloseCodes.TRY_AGAIN, "too many frames before upstream was ready (bound " + deps.config().maxBufferedFrames() + " frames)",
                    null, "buffer_overflow");
            return;
        }
        sendUp(up, out);
    }

    private void sendUp(WebSocketClientConnection up, Object frame) {
        long size = size(frame);
        if (inFlightUpFrames.incrementAndGet() > deps.config().maxInFlightFrames()
                || inFlightUpBytes.addAndGet(size) > deps.config().maxInFlightBytes()) {
            inFlightUpFrames.decrementAndGet();
            inFlightUpBytes.addAndGet(-size);
            terminate(CloseCodes.TRY_AGAIN, "upstream too slow: in-flight bound exceeded", null, "slow_upstream");
            return;
        }
        Uni<Void> send = frame instanceof String text ? up.sendText(text) : up.sendBinary((Buffer) frame);
        send.subscribe().with(v -> sentUp(size), failure -> sentUp(size));
    }

    private void sentUp(long size) {
        inFlightUpFrames.decrementAndGet();
        inFlightUpBytes.addAndGet(-size);
    }

    // ---- upstream -> client

    private void fromUpstream(Object frame) {
        synchronized (lock) {
            if (finished) {
                return; // the session is over; this upstream is being closed
            }
        }
        lastActivity = System.nanoTime();
        long size = size(frame);
        framesDown.incrementAndGet();
        bytesDown.addAndGet(size);
        deps.metrics().frameDown(size);
        if (size > deps.config().maxMessageBytes()) {
            terminate(CloseCodes.TOO_BIG, "upstream message too big: limit is " + deps.config().maxMessageBytes() + " bytes", null,
                    "message_too_big");
            return;
        }
        String type = frame instanceof String text ? deps.policy().typeOf(text) : null;
        if ("error".equals(type)) {
            frame = deps.policy().redactUpstreamError((String) frame);
        }
        sendDown(frame);
        if ("session.created".equals(type)) {
            sessionCreated((String) frame);
        } else if ("response.done".equals(type)) {
            countUsage((String) frame);
        }
    }

    private void sessionCreated(String text) {
        ObjectNode event = deps.policy().parseObject(text);
        if (event != null) {
            upstreamSessionId = event.path("session").path("id").asText("-");
        }
        deps.policy().instructionsUpdate(plan).ifPresent(update -> {
            WebSocketClientConnection up;
            synchronized (lock) {
                up = upstream;
            }
            if (up != null) {
                sendUp(up, update);
            }
        });
        LOG.infof("Realtime session started: identity=%s upstream_session=%s model=%s relay=%s", plan.identity(), upstreamSessionId,
                plan.transcription() ? "intent=transcription" : plan.model(), client.id());
    }

    private void countUsage(String text) {
        ObjectNode event = deps.policy().parseObject(text);
        JsonNode usage = event == null ? null : event.path("response").path("usage");
        if (usage != null && usage.isObject()) {
            deps.metrics().tokens("input", usage.path("input_tokens").asLong());
            deps.metrics().tokens("output", usage.path("output_tokens").asLong());
            deps.metrics().tokens("total", usage.path("total_tokens").asLong());
        }
    }

    private void sendDown(Object frame) {
        long size = size(frame);
        if (inFlightDownFrames.incrementAndGet() > deps.config().maxInFlightFrames()
                || inFlightDownBytes.addAndGet(size) > deps.config().maxInFlightBytes()) {
            inFlightDownFrames.decrementAndGet();
            inFlightDownBytes.addAndGet(-size);
            terminate(CloseCodes.POLICY, "client too slow to read: in-flight bound exceeded", null, "slow_client");
            return;
        }
        Uni<Void> send = frame instanceof String text ? client.sendText(text) : client.sendBinary((Buffer) frame);
        send.subscribe().with(v -> sentDown(size), failure -> sentDown(size));
    }

    private void sentDown(long size) {
        inFlightDownFrames.decrementAndGet();
        inFlightDownBytes.addAndGet(-size);
    }

    // ---- lifecycle

    private void upstreamOpened(WebSocketClientConnection up, long connectStart) {
        deps.metrics().upstreamConnected(Duration.ofNanos(System.nanoTime() - connectStart));
        synchronized (lock) {
            if (finished) {
                // The client left while upstream was connecting.
                up.close(CloseReason.NORMAL).subscribe().with(v -> { }, f -> { });
                return;
            }
            while (!pending.isEmpty()) {
                sendUp(up, pending.poll());
            }
            pendingBytes = 0;
            upstream = up;
            lastActivity = System.nanoTime(); // idle time counts from here: connecting has its own timeout
        }
    }

    private void upstreamFailed(Throwable failure) {
        String reason;
        String metric;
        UpgradeRejectedException rejected = find(failure, UpgradeRejectedException.class);
        if (rejected != null) {
            reason = "upstream refused the handshake (HTTP " + rejected.getStatus() + ")";
            metric = "upstream_refused";
        } else {
            reason = "upstream unreachable (" + failure.getClass().getSimpleName() + ")";
            metric = "upstream_unreachable";
        }
        LOG.warnf("Realtime session for %s could not reach upstream %s: %s", plan.identity(), deps.upstream().url(plan), reason);
        upstreamClose = "connect-failed";
        terminate(CloseCodes.INTERNAL, reason, null, metric);
    }

    /**
     * The connector reports a connection dropped without a close frame as 1000; the connection itself knows
     * better (1005 when no status arrived), and that must become 1011, not a clean close.
     */
    private static CloseReason actualClose(WebSocketClientConnection up, CloseReason reported) {
        CloseReason actual = up.closeReason();
        return actual != null ? actual : reported;
    }

    private void upstreamClosed(CloseReason reason) {
        upstreamClose = Integer.toString(reason.getCode());
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
        }
        CloseReason mirrored = CloseCodes.fromUpstream(reason.getCode(), reason.getMessage());
        clientClose = Integer.toString(mirrored.getCode());
        client.close(mirrored).subscribe().with(v -> { }, f -> { });
    }

    /**
     * The gateway ends the session: an optional OpenAI-shaped error event, then the client close; upstream gets a
     * normal close.
     */
    void terminate(int code, String reason, String errorCode, String metric) {
        WebSocketClientConnection up;
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
            up = upstream;
            pending.clear();
        }
        deps.metrics().refused(metric);
        CloseReason close = CloseCodes.reason(code, reason);
        clientClose = Integer.toString(close.getCode());
        Uni<Void> first = errorCode == null ? Uni.createFrom().voidItem()
                : client.sendText(deps.policy().errorEvent("invalid_request_error", errorCode, reason));
        first.onFailure().recoverWithNull()
                .chain(() -> client.close(close))
                .subscribe().with(v -> { }, f -> { });
        if (up != null && up.isOpen()) {
            up.close(CloseCodes.reason(CloseCodes.NORMAL, "closed by gateway")).subscribe().with(v -> { }, f -> { });
        }
    }

    /** The client connection is gone (it closed, vanished, or we closed it): close upstream now and report. */
    void clientClosed(CloseReason reason) {
        WebSocketClientConnection up;
        synchronized (lock) {
            up = upstream;
            finished = true;
            pending.clear();
        }
        if ("-".equals(clientClose)) {
            clientClose = Integer.toString(reason.getCode());
        }
        if (up != null && up.isOpen()) {
            up.close(CloseCodes.fromClient(reason.getCode(), reason.getMessage())).subscribe().with(v -> { }, f -> { });
        }
        deps.vertx().cancelTimer(idleTimer);
        deps.vertx().cancelTimer(deadlineTimer);
        LOG.infof("Realtime session ended: identity=%s upstream_session=%s duration=%s frames_up=%d bytes_up=%d frames_down=%d bytes_down=%d"
                + " close_client=%s close_upstream=%s relay=%s", plan.identity(), upstreamSessionId,
                Duration.ofNanos(System.nanoTime() - startNanos), framesUp.get(), bytesUp.get(), framesDown.get(), bytesDown.get(),
                clientClose, upstreamClose, client.id());
    }

    int clientCloseCode(int fallback) {
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

    private static long size(Object frame) {
        // A String's UTF-16 length is a lower bound of its UTF-8 size; exact enough for accounting and bounds.
        return frame instanceof String text ? text.length() : ((Buffer) frame).length();
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
}
