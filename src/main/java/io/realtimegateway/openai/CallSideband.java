package io.realtimegateway.openai;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.realtimegateway.auth.Identities;
import io.realtimegateway.preflight.NetworkFailure;
import io.realtimegateway.relay.SessionLease;
import io.realtimegateway.relay.SessionRegistry;
import io.realtimegateway.relay.SessionUsage;
import io.realtimegateway.state.Usage;
import io.realtimegateway.state.UsageField;
import io.realtimegateway.usage.ReportedUsage;
import io.vertx.core.Context;
import io.vertx.core.http.WebSocket;

/**
 * The gateway's control of one WebRTC call over OpenAI's sideband ({@code /v1/realtime?call_id=…} with the server
 * key): it meters the usage of {@code response.done} and transcriptions into the identity's day total (the relay's
 * {@link SessionUsage}), re-applies the server instructions after a {@code session.updated} that lost them (the
 * browser's {@code session.update} goes to OpenAI directly, so the gateway sees its effect, not the event), hangs the
 * call up through the API at the maximum session length, after the idle timeout, once the identity's budget for
 * today is spent (the gateway cannot refuse a {@code response.create} it never sees) and at the end of the drain on
 * SIGTERM, and holds the call's session slot and its entry in the {@link SessionRegistry} until the call ends. A
 * call it cannot control (no sideband, or the sideband dropped) is hung up: the policy fails closed.
 * <p>
 * <b>Threading.</b> Everything runs on the Vert.x context that {@link #start()} runs on: the connection's handlers,
 * the timers and the hang-up's completion. So there is no lock.
 */
final class CallSideband implements SessionRegistry.Live {

    private static final Logger LOG = Logger.getLogger(CallSideband.class);

    private final Call call;
    private final CallSidebands deps;
    private final long startNanos = System.nanoTime();
    private final Instant startedAt = Instant.now();
    private final SessionUsage usage;

    private Context context;
    private WebSocket socket;
    private long lastActivity = System.nanoTime();
    private long idleTimer = -1;
    private long deadlineTimer = -1;
    private CallMetrics.Ended ending; // set once the gateway ends the call, or once OpenAI closed it
    private boolean finished;
    private String upstreamSessionId = "-";
    private long events;
    private long eventBytes;
    private long sent;
    private long sentBytes;
    private long reapplied;

    /** A call set up through the gateway: OpenAI's call id, who set it up, its model, and its session slot. */
    record Call(String id, String identity, String model, SessionLease lease) {
    }

    CallSideband(Call call, CallSidebands deps) {
        this.call = call;
        this.deps = deps;
        this.usage = new SessionUsage(deps.usage(), call.identity());
    }

    /** Connects the sideband and starts the timers; call on a Vert.x context, which then runs everything else. */
    void start() {
        context = deps.vertx().getOrCreateContext();
        deps.metrics().controlled();
        deps.sessions().opened(this);
        long idleMillis = Math.max(1, deps.realtime().idleTimeout().toMillis());
        idleTimer = deps.vertx().setPeriodic(Math.max(20, Math.min(idleMillis / 4, 5000)), id -> {
            if (System.nanoTime() - lastActivity > idleMillis * 1_000_000L) {
                hangUp(CallMetrics.Ended.IDLE_TIMEOUT, "idle for " + deps.realtime().idleTimeout());
            } else {
                checkBudget();
            }
        });
        deadlineTimer = deps.vertx().setTimer(Math.max(1, deps.realtime().maxSessionLength().toMillis()),
                id -> hangUp(CallMetrics.Ended.MAX_SESSION_LENGTH, "reached the maximum length of " + deps.realtime().maxSessionLength()));
        // The renewal tick also reads the identity's day total again, so usage of its other sessions counts here too.
        call.lease().keep(usage::refresh, () -> hangUp(CallMetrics.Ended.LEASE_LOST, "its session slot was lost"));
        usage.refresh();
        deps.client().connect(deps.connectOptions(call.id(), call.identity())).onComplete(result -> {
            if (result.failed()) {
                LOG.warnf("Realtime call %s for %s: the sideband could not be opened (%s); hanging the call up, the gateway cannot control it",
                        call.id(), call.identity(), NetworkFailure.describe(result.cause()));
                hangUp(CallMetrics.Ended.SIDEBAND_FAILED, "no sideband");
                return;
            }
            opened(result.result());
        });
    }

    private void opened(WebSocket ws) {
        if (finished || ending != null) {
            ws.close((short) 1000, "call ended");
            return;
        }
        socket = ws;
        lastActivity = System.nanoTime();
        ws.textMessageHandler(this::event);
        ws.exceptionHandler(failure -> LOG.debugf("Sideband error on call %s: %s", call.id(), failure.getClass().getName()));
        ws.closeHandler(v -> closed(ws.closeStatusCode() == null ? 1005 : ws.closeStatusCode()));
        LOG.infof("Realtime call started: identity=%s call=%s model=%s sideband=on", Identities.loggable(call.identity()), call.id(), call.model());
    }

    private void event(String text) {
        lastActivity = System.nanoTime();
        events++;
        eventBytes += text.getBytes(StandardCharsets.UTF_8).length;
        JsonNode event;
        try {
            event = deps.mapper().readTree(text);
        } catch (IOException e) {
            return;
        }
        String type = event.path("type").asText("");
        switch (type) {
            case "session.created", "session.updated" -> session(event.path("session"));
            case "response.done", ReportedUsage.TRANSCRIPTION_COMPLETED -> meter(event);
            case "error" -> LOG.debugf("Sideband of call %s: OpenAI error event %s", call.id(), event.path("error").path("code").asText("-"));
            default -> {
                // Every other event only counts as activity.
            }
        }
    }

    /** Puts the server instructions back when the session lost them (a browser's session.update replaced them). */
    private void session(JsonNode session) {
        if (session.hasNonNull("id")) {
            upstreamSessionId = session.get("id").asText();
        }
        String wanted = deps.policy().instructions().orElse(null);
        if (wanted == null || socket == null || ending != null || !session.has("instructions") || wanted.equals(session.path("instructions").asText(null))) {
            return;
        }
        ObjectNode update = deps.mapper().createObjectNode();
        update.put("type", "session.update");
        update.put("event_id", "gw_instructions");
        ObjectNode fields = update.putObject("session");
        fields.put("type", "realtime");
        fields.put("instructions", wanted);
        String text = update.toString();
        socket.writeTextMessage(text);
        sent++;
        sentBytes += text.getBytes(StandardCharsets.UTF_8).length;
        reapplied++;
        deps.metrics().instructionsReapplied();
        LOG.infof("Realtime call instructions re-applied: identity=%s call=%s", Identities.loggable(call.identity()), call.id());
    }

    /** Adds what the event reports to the call's and the identity's usage, as a relayed session does. */
    private void meter(JsonNode event) {
        Usage reported = ReportedUsage.of(event);
        if (reported == null) {
            return;
        }
        deps.relayMetrics().tokens(reported);
        usage.add(reported, this::checkBudget);
    }

    /** The identity's budget for today is spent (by this call or its other sessions): the call cannot go on. */
    private void checkBudget() {
        if (!usage.allowsResponse()) {
            hangUp(CallMetrics.Ended.BUDGET_EXCEEDED, "the usage budget of " + call.identity() + " for today is spent");
        }
    }

    /** The gateway ends the call: {@code POST /realtime/calls/{id}/hangup} with the server key, then the sideband closes. */
    private void hangUp(CallMetrics.Ended reason, String why) {
        if (ending != null || finished) {
            return;
        }
        ending = reason;
        LOG.infof("Realtime call %s for %s: hanging up (%s)", call.id(), Identities.loggable(call.identity()), why);
        deps.http().post("/realtime/calls/" + call.id() + "/hangup", null, null, call.identity()).subscribe().with(answer -> {
            if (!answer.ok()) {
                LOG.warnf("Realtime call %s: OpenAI answered the hang-up with HTTP %d", call.id(), answer.status());
            }
            afterHangUp();
        }, failure -> {
            LOG.warnf("Realtime call %s: the hang-up did not reach OpenAI (%s)", call.id(), NetworkFailure.describe(failure));
            afterHangUp();
        });
    }

    private void afterHangUp() {
        if (socket != null && !socket.isClosed()) {
            socket.close((short) 1000, "call ended by the gateway");
        } else if (socket == null) {
            finish(-1);
        }
    }

    /** OpenAI closed the sideband (the call ended), or the gateway did after its hang-up. */
    private void closed(int code) {
        if (ending == null && code != 1000) {
            // The call may still run without control: end it.
            LOG.warnf("Realtime call %s for %s: the sideband closed with %d", call.id(), Identities.loggable(call.identity()), code);
            ending = CallMetrics.Ended.SIDEBAND_FAILED;
            deps.http().post("/realtime/calls/" + call.id() + "/hangup", null, null, call.identity()).subscribe().with(answer -> finish(code),
                    failure -> finish(code));
            return;
        }
        finish(code);
    }

    private void finish(int sidebandClose) {
        if (finished) {
            return;
        }
        finished = true;
        deps.vertx().cancelTimer(idleTimer);
        deps.vertx().cancelTimer(deadlineTimer);
        CallMetrics.Ended reason = ending == null ? CallMetrics.Ended.CLOSED : ending;
        call.lease().release();
        deps.metrics().ended(reason);
        String sidebandCode = sidebandClose < 0 ? "-" : Integer.toString(sidebandClose);
        deps.sessions().closed(snapshot(), 0, sidebandCode);
        Usage total = usage.session();
        LOG.infof("Realtime call ended: identity=%s call=%s upstream_session=%s duration=%s events=%d input_tokens=%d output_tokens=%d"
                + " total_tokens=%d instructions_reapplied=%d end=%s close_sideband=%s usage=%s", Identities.loggable(call.identity()), call.id(), Identities.loggable(upstreamSessionId),
                Duration.ofNanos(System.nanoTime() - startNanos), events, total.get(UsageField.INPUT_TOKENS),
                total.get(UsageField.OUTPUT_TOKENS), total.get(UsageField.TOTAL_TOKENS), reapplied, reason.label(), sidebandCode, usage.summary());
    }

    // ---- for SessionRegistry

    @Override
    public String id() {
        return call.id();
    }

    @Override
    public Context context() {
        return context;
    }

    /** The console's view of this call; on the call's context (the registry calls it there). */
    @Override
    public SessionRegistry.LiveSession snapshot() {
        return new SessionRegistry.LiveSession(call.id(), call.identity(), call.model(), startedAt, upstreamSessionId,
                new SessionRegistry.Traffic(sent, sentBytes), new SessionRegistry.Traffic(events, eventBytes),
                SessionRegistry.Tokens.of(usage.session()), SessionRegistry.WEBRTC);
    }

    /** The drain on SIGTERM is over with this call live: hang it up through the API (from any thread). */
    @Override
    public void shutDown() {
        context.runOnContext(v -> hangUp(CallMetrics.Ended.SHUTTING_DOWN, "the gateway is shutting down (GATEWAY_SHUTDOWN_DRAIN is over)"));
    }
}
