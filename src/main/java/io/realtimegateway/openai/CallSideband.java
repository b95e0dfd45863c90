package io.realtimegateway.openai;

import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.realtimegateway.preflight.NetworkFailure;
import io.realtimegateway.relay.SessionLease;
import io.realtimegateway.state.Usage;
import io.realtimegateway.state.UsageField;
import io.vertx.core.http.WebSocket;

/**
 * The gateway's control of one WebRTC call over OpenAI's sideband ({@code /v1/realtime?call_id=…} with the server
 * key): it meters {@code response.done} usage, re-applies the server instructions after a {@code session.updated}
 * that lost them (the browser's {@code session.update} goes to OpenAI directly, so the gateway sees its effect,
 * not the event), hangs the call up through the API at the maximum session length or after the idle timeout,
 * and holds the call's session slot until the call ends. A call it cannot control (no sideband, or the sideband
 * dropped) is hung up: the policy fails closed.
 * <p>
 * <b>Threading.</b> Everything runs on the Vert.x context that {@link #start()} runs on: the connection's handlers,
 * the timers and the hang-up's completion. So there is no lock.
 */
final class CallSideband {

    private static final Logger LOG = Logger.getLogger(CallSideband.class);

    private final Call call;
    private final CallSidebands deps;
    private final long startNanos = System.nanoTime();

    private WebSocket socket;
    private long lastActivity = System.nanoTime();
    private long idleTimer = -1;
    private long deadlineTimer = -1;
    private CallMetrics.Ended ending; // set once the gateway ends the call, or once OpenAI closed it
    private boolean finished;
    private String upstreamSessionId = "-";
    private long events;
    private long reapplied;
    private Usage usage = Usage.NONE;

    /** A call set up through the gateway: OpenAI's call id, who set it up, its model, and its session slot. */
    record Call(String id, String identity, String model, SessionLease lease) {
    }

    CallSideband(Call call, CallSidebands deps) {
        this.call = call;
        this.deps = deps;
    }

    /** Connects the sideband and starts the timers; call on a Vert.x context, which then runs everything else. */
    void start() {
        deps.metrics().controlled();
        long idleMillis = Math.max(1, deps.realtime().idleTimeout().toMillis());
        idleTimer = deps.vertx().setPeriodic(Math.max(20, Math.min(idleMillis / 4, 5000)), id -> {
            if (System.nanoTime() - lastActivity > idleMillis * 1_000_000L) {
                hangUp(CallMetrics.Ended.IDLE_TIMEOUT, "idle for " + deps.realtime().idleTimeout());
            }
        });
        deadlineTimer = deps.vertx().setTimer(Math.max(1, deps.realtime().maxSessionLength().toMillis()),
                id -> hangUp(CallMetrics.Ended.MAX_SESSION_LENGTH, "reached the maximum length of " + deps.realtime().maxSessionLength()));
        call.lease().keep(() -> {
        }, () -> hangUp(CallMetrics.Ended.LEASE_LOST, "its session slot was lost"));
        deps.client().connect(deps.connectOptions(call.id())).onComplete(result -> {
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
        LOG.infof("Realtime call started: identity=%s call=%s model=%s sideband=on", call.identity(), call.id(), call.model());
    }

    private void event(String text) {
        lastActivity = System.nanoTime();
        events++;
        JsonNode event;
        try {
            event = deps.mapper().readTree(text);
        } catch (IOException e) {
            return;
        }
        String type = event.path("type").asText("");
        switch (type) {
            case "session.created", "session.updated" -> session(event.path("session"));
            case "response.done" -> meter(event.path("response").path("usage"));
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
        socket.writeTextMessage(update.toString());
        reapplied++;
        deps.metrics().instructionsReapplied();
        LOG.infof("Realtime call instructions re-applied: identity=%s call=%s", call.identity(), call.id());
    }

    private void meter(JsonNode response) {
        if (!response.isObject()) {
            return;
        }
        Usage.Builder delta = Usage.builder().add(UsageField.RESPONSES, 1);
        for (UsageField field : UsageField.values()) {
            if (field.path() != null && !field.name().startsWith("TRANSCRIPTION_")) {
                JsonNode value = response.at("/" + field.path().replace('.', '/'));
                if (value.canConvertToLong() && value.asLong() > 0) {
                    delta.add(field, value.asLong());
                }
            }
        }
        Usage add = delta.build();
        usage = usage.plus(add);
        deps.metrics().tokens(add);
        deps.state().addUsage(call.identity(), LocalDate.now(ZoneOffset.UTC), add).subscribe().with(total -> {
        }, failure -> LOG.warnf("Usage of call %s for %s not recorded: %s", call.id(), call.identity(), failure.getMessage()));
    }

    /** The gateway ends the call: {@code POST /realtime/calls/{id}/hangup} with the server key, then the sideband closes. */
    private void hangUp(CallMetrics.Ended reason, String why) {
        if (ending != null || finished) {
            return;
        }
        ending = reason;
        LOG.infof("Realtime call %s for %s: hanging up (%s)", call.id(), call.identity(), why);
        deps.http().post("/realtime/calls/" + call.id() + "/hangup", null, null).subscribe().with(answer -> {
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
            LOG.warnf("Realtime call %s for %s: the sideband closed with %d", call.id(), call.identity(), code);
            ending = CallMetrics.Ended.SIDEBAND_FAILED;
            deps.http().post("/realtime/calls/" + call.id() + "/hangup", null, null).subscribe().with(answer -> finish(code),
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
        LOG.infof("Realtime call ended: identity=%s call=%s upstream_session=%s duration=%s events=%d input_tokens=%d output_tokens=%d"
                + " total_tokens=%d instructions_reapplied=%d end=%s close_sideband=%s", call.identity(), call.id(), upstreamSessionId,
                Duration.ofNanos(System.nanoTime() - startNanos), events, usage.get(UsageField.INPUT_TOKENS),
                usage.get(UsageField.OUTPUT_TOKENS), usage.get(UsageField.TOTAL_TOKENS), reapplied, reason.label(),
                sidebandClose < 0 ? "-" : Integer.toString(sidebandClose));
    }
}
