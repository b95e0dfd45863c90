package io.realtimegateway.realtime.live.webrtc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.realtimegateway.auth.Identities;
import io.realtimegateway.preflight.NetworkFailure;
import io.realtimegateway.relay.SessionLease;
import io.realtimegateway.relay.SessionRegistry;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;

/**
 * The gateway's leash on one GPT-Live WebRTC session, over OpenAI's sideband
 * ({@code /v1/live/sessions/{id}/attach} with the server key). It is attached before the browser gets its SDP answer
 * (the sideband replays nothing), and then:
 * <ul>
 * <li>bills the session's seconds into the identity's day on the gateway's clock ({@link LiveSeconds}), reconciled
 * upwards with OpenAI's {@code usage.seconds} and the final {@code session.closed};</li>
 * <li>ends the session with {@code session.close} on the sideband at the maximum length, after the idle timeout, once
 * the identity's seconds for today are spent (checked every second), at the end of the drain on SIGTERM and from the
 * console's kill switch; when OpenAI does not confirm with {@code session.closed} within the grace, it closes the
 * sideband and asks {@code POST /v1/live/sessions/{id}/hangup};</li>
 * <li>attaches again when the sideband drops without {@code session.closed} (the session may still run); when that
 * fails too, the session is hung up: the policy fails closed;</li>
 * <li>holds the session's slot and its entry in the {@link SessionRegistry} (console, drain) until the session ends.</li>
 * </ul>
 * <b>Threading.</b> Everything runs on the Vert.x context that {@link #start} runs on (the socket's handlers, the
 * timers, the store's answers), so there is no lock.
 * <p>
 * One class (about 300 lines) because every ending (length, idle, budget, drain, kill, a failed re-attach) must
 * go through one state machine on one context: split apart, two endings could race to close the same session.
 */
final class LiveSideband implements SessionRegistry.Live {

    /** Attempts to attach again after the sideband dropped. */
    static final int REATTACH_ATTEMPTS = 2;
    private static final long REATTACH_DELAY_MILLIS = 250;
    private static final long TICK_MILLIS = 1000;
    private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([a-z_.]{1,64})\"");
    private static final Logger LOG = Logger.getLogger(LiveSideband.class);

    private final Session session;
    private final LiveSidebands deps;
    private final long startNanos = System.nanoTime();
    private final Instant startedAt = Instant.now();
    private final LiveSeconds seconds;

    private Context context;
    private WebSocket socket;
    private boolean registered;
    private long lastActivity = System.nanoTime();
    private long tickTimer = -1;
    private long graceTimer = -1;
    private LiveWebRtcMetrics.Ended ending; // set once the gateway ends the session
    private String closedReason; // OpenAI's session.closed reason, once seen
    private boolean finished;
    private int reattaches;
    private long events;
    private long eventBytes;
    private long sent;
    private long sentBytes;

    /** A session the gateway created: OpenAI's id, who created it, its model, and its session slot. */
    record Session(String id, String identity, String model, SessionLease lease) {
    }

    LiveSideband(Session session, LiveSidebands deps) {
        this.session = session;
        this.deps = deps;
        this.seconds = new LiveSeconds(deps.usage(), session.identity(), () -> Duration.ofNanos(System.nanoTime() - startNanos).toSeconds(),
                deps.metrics()::seconds);
    }

    /**
     * Bills the creation's 15 s and attaches; {@code attached} completes once the sideband is open (the session is then
     * leashed), or fails once the gateway gave the session up (hung up, slot released). Call on a Vert.x context.
     */
    void start(Promise<Void> attached) {
        context = deps.vertx().getOrCreateContext();
        seconds.flush(true, this::checkBudget);
        deps.connect(session.id()).onComplete(result -> {
            if (result.failed()) {
                LOG.warnf("GPT-Live session %s for %s: the sideband could not be attached (%s); hanging it up, the gateway cannot leash it",
                        session.id(), Identities.loggable(session.identity()), NetworkFailure.describe(result.cause()));
                deps.hangUp(session.id());
                finished = true;
                session.lease().release();
                deps.metrics().notLeashed();
                attached.fail(result.cause());
                return;
            }
            leash(result.result());
            attached.complete();
        });
    }

    private void leash(WebSocket ws) {
        registered = true;
        deps.metrics().created();
        deps.sessions().opened(this);
        tickTimer = deps.vertx().setPeriodic(TICK_MILLIS, id -> tick());
        // The renewal tick also reads the identity's day total again, so other sessions' seconds count here too.
        session.lease().keep(seconds::refresh, () -> end(LiveWebRtcMetrics.Ended.LEASE_LOST, "its session slot was lost"));
        opened(ws);
        LOG.infof("GPT-Live WebRTC session started: identity=%s session=%s model=%s", Identities.loggable(session.identity()),
                Identities.loggable(session.id()), session.model());
    }

    private void opened(WebSocket ws) {
        socket = ws;
        lastActivity = System.nanoTime();
        ws.textMessageHandler(this::event);
        ws.exceptionHandler(failure -> LOG.debugf("Sideband error on GPT-Live session %s: %s", session.id(), failure.getClass().getName()));
        ws.closeHandler(v -> closed(ws, ws.closeStatusCode() == null ? 1005 : ws.closeStatusCode()));
        if (ending != null) {
            sendClose(); // the gateway decided to end it while the sideband was (re)attaching
        }
    }

    /** Every second: the idle timeout, the maximum length, the seconds owed and the budget. */
    private void tick() {
        if (finished) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastActivity > deps.idleTimeout().toNanos()) {
            end(LiveWebRtcMetrics.Ended.IDLE_TIMEOUT, "idle for " + deps.idleTimeout());
        } else if (now - startNanos > deps.maxSessionLength().toNanos()) {
            end(LiveWebRtcMetrics.Ended.MAX_SESSION_LENGTH, "reached the maximum length of " + deps.maxSessionLength());
        } else {
            seconds.flush(false, this::checkBudget);
            checkBudget();
        }
    }

    private void event(String text) {
        lastActivity = System.nanoTime();
        events++;
        eventBytes += text.length();
        // Reflected audio is most of the traffic: only the few events the leash reads are parsed.
        Matcher type = TYPE.matcher(text.length() > 512 ? text.substring(0, 512) : text);
        if (!type.find()) {
            return;
        }
        switch (type.group(1)) {
            case "session.usage.updated" -> usage(parse(text), false);
            case "session.closed" -> usage(parse(text), true);
            case "error" -> LOG.debugf("Sideband of GPT-Live session %s: OpenAI error event %s", session.id(), parse(text).path("error").path("code").asText("-"));
            default -> {
                // Every other event only counts as activity.
            }
        }
    }

    private JsonNode parse(String text) {
        try {
            return deps.mapper().readTree(text);
        } catch (IOException e) {
            return deps.mapper().createObjectNode();
        }
    }

    /** OpenAI's cumulative seconds ({@code session.usage.updated}), or its final figure and reason ({@code session.closed}). */
    private void usage(JsonNode event, boolean last) {
        JsonNode reported = event.path("usage").path("seconds");
        if (reported.canConvertToLong() && reported.asLong() >= 0) {
            seconds.reported(reported.asLong());
        }
        if (last) {
            closedReason = event.path("reason").asText("-");
        } else {
            checkBudget();
        }
    }

    /** The identity's seconds for today are spent (by this session or its others): the session cannot go on. */
    private void checkBudget() {
        if (!finished && seconds.spent()) {
            end(LiveWebRtcMetrics.Ended.BUDGET_EXCEEDED, seconds.spentMessage());
        }
    }

    /** The gateway ends the session: {@code session.close} on the sideband; OpenAI confirms with {@code session.closed}. */
    private void end(LiveWebRtcMetrics.Ended reason, String why) {
        if (ending != null || finished) {
            return;
        }
        ending = reason;
        LOG.infof("GPT-Live session %s for %s: closing it (%s)", Identities.loggable(session.id()), Identities.loggable(session.identity()), why);
        sendClose();
        graceTimer = deps.vertx().setTimer(Math.max(1, deps.closeGrace().toMillis()), id -> {
            if (!finished) {
                LOG.infof("GPT-Live session %s: no session.closed within %s; hanging it up", Identities.loggable(session.id()), deps.closeGrace());
                deps.hangUp(session.id());
                if (socket != null && !socket.isClosed()) {
                    socket.close((short) 1000, "session closed by the gateway");
                } else {
                    finish(-1);
                }
            }
        });
    }

    /** Asks OpenAI to close the session; when the sideband is not open yet, {@link #opened} asks once it is. */
    private void sendClose() {
        if (socket != null && !socket.isClosed()) {
            String close = "{\"type\":\"session.close\",\"event_id\":\"gw_close_" + ending.label() + "\"}";
            socket.writeTextMessage(close);
            sent++;
            sentBytes += close.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** The sideband closed: after {@code session.closed} the session is over; otherwise it may still run, so attach again. */
    private void closed(WebSocket ws, int code) {
        if (ws != socket || finished) {
            return;
        }
        if (closedReason != null || ending != null) {
            finish(code);
            return;
        }
        if (reattaches >= REATTACH_ATTEMPTS) {
            LOG.warnf("GPT-Live session %s for %s: the sideband closed with %d and could not be attached again; hanging it up",
                    Identities.loggable(session.id()), Identities.loggable(session.identity()), code);
            ending = LiveWebRtcMetrics.Ended.SIDEBAND_FAILED;
            deps.hangUp(session.id());
            finish(code);
            return;
        }
        reattaches++;
        LOG.infof("GPT-Live session %s: the sideband closed with %d without session.closed; attaching again", Identities.loggable(session.id()), code);
        deps.vertx().setTimer(REATTACH_DELAY_MILLIS * reattaches, t -> deps.connect(session.id()).onComplete(result -> {
            if (finished) {
                if (result.succeeded()) {
                    result.result().close((short) 1000, "session ended");
                }
            } else if (result.succeeded()) {
                deps.metrics().reattached();
                opened(result.result());
            } else {
                closed(ws, code);
            }
        }));
    }

    private void finish(int sidebandClose) {
        if (finished) {
            return;
        }
        finished = true;
        deps.vertx().cancelTimer(tickTimer);
        deps.vertx().cancelTimer(graceTimer);
        seconds.flush(true, () -> {
        });
        LiveWebRtcMetrics.Ended reason = ending == null ? LiveWebRtcMetrics.Ended.CLOSED : ending;
        session.lease().release();
        deps.metrics().ended(reason);
        String sidebandCode = sidebandClose < 0 ? "-" : Integer.toString(sidebandClose);
        if (registered) {
            deps.sessions().closed(snapshot(), 0, sidebandCode);
        }
        LOG.infof("GPT-Live WebRTC session ended: identity=%s session=%s model=%s duration=%s seconds=%d openai_seconds=%d events=%d end=%s"
                + " openai_reason=%s close_sideband=%s reattached=%d", Identities.loggable(session.identity()), Identities.loggable(session.id()),
                session.model(), Duration.ofNanos(System.nanoTime() - startNanos), seconds.owed(), seconds.reported(), events, reason.label(),
                closedReason == null ? "-" : closedReason, sidebandCode, reattaches);
    }

    // ---- for SessionRegistry

    @Override
    public String id() {
        return session.id();
    }

    @Override
    public Context context() {
        return context;
    }

    /** The console's view of this session; on its context (the registry calls it there). */
    @Override
    public SessionRegistry.LiveSession snapshot() {
        return new SessionRegistry.LiveSession(session.id(), session.identity(), session.model(), startedAt, session.id(),
                new SessionRegistry.Traffic(sent, sentBytes), new SessionRegistry.Traffic(events, eventBytes),
                new SessionRegistry.Tokens(0, 0, 0), SessionRegistry.WEBRTC, SessionRegistry.LIVE, seconds.owed(), seconds.left());
    }

    /** The drain on SIGTERM is over with this session live: close it through the sideband (from any thread). */
    @Override
    public void shutDown() {
        context.runOnContext(v -> end(LiveWebRtcMetrics.Ended.SHUTTING_DOWN, "the gateway is shutting down (GATEWAY_SHUTDOWN_DRAIN is over)"));
    }

    /** The console's kill switch: close it through the sideband (from any thread). */
    @Override
    public boolean kill() {
        context.runOnContext(v -> end(LiveWebRtcMetrics.Ended.KILLED, "ended from the console"));
        return true;
    }
}
