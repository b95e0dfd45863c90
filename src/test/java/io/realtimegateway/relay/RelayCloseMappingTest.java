package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;


import io.vertx.core.Future;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.json.JsonObject;

/**
 * Close mapping: what a socket's close was ({@link CloseCodes}), how it is mirrored, and the gateway's own closes
 * ({@link Refusal}, {@link Termination}) as the client sees them, sent by {@link InBandClose#sendTo}.
 */
class RelayCloseMappingTest {

    @Test
    void reservedCodesBecome1011AndOthersAreMirrored() {
        for (int reserved : new int[] {1005, 1006, 1015, 999, 1004}) {
            assertThat(CloseCodes.fromUpstream(reserved, "x").code()).isEqualTo(1011);
        }
        for (int code : new int[] {1000, 1001, 1008, 1011, 3000, 4000, 4999}) {
            assertThat(CloseCodes.fromUpstream(code, "r").code()).isEqualTo(code);
            assertThat(CloseCodes.fromUpstream(code, "r").reason()).isEqualTo("r");
        }
        assertThat(CloseCodes.fromClient(1006, null).code()).isEqualTo(1001);
        assertThat(CloseCodes.fromClient(4002, "done").reason()).isEqualTo("done");
    }

    @Test
    void receivedCloseIsTheStatusElse1005WithAFrameElse1006() {
        assertThat(CloseCodes.received(closed((short) 4001, "bye"))).isEqualTo(4001);
        assertThat(CloseCodes.received(closed(null, ""))).as("a close frame without a status").isEqualTo(1005);
        assertThat(CloseCodes.received(closed(null, null))).as("no close frame at all").isEqualTo(1006);
    }

    @Test
    void reasonsAreCutTo123BytesWithoutSplittingACharacter() {
        String reason = "é".repeat(100); // 200 bytes
        String cut = CloseCodes.truncate(reason);
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(cut).isEqualTo("é".repeat(61));
        assertThat(CloseCodes.truncate("short")).isEqualTo("short");
        assertThat(CloseCodes.reason(1000, null).reason()).isEmpty();
    }

    @Test
    void limitClosesHaveTheirCodesReasonsAndLabels() {
        assertClose(Termination.idle(Duration.ofMinutes(5)), 1000, "The session was idle for 5 minutes.", "idle_timeout", "idle_timeout");
        assertClose(Termination.expired(Duration.ofSeconds(30)), 1001, "Your session hit the maximum duration of 30 seconds.",
                "session_expired", "max_session_length");
        assertClose(Termination.tooBig(true, 16), 1009, "message too big: limit is 16 bytes", null, "message_too_big");
        assertClose(Termination.tooBig(false, 16), 1009, "upstream message too big: limit is 16 bytes", null, "message_too_big");
        assertClose(Termination.protocolError(1002, "protocol error: data frame using reserved opcode 3"), 1002,
                "protocol error: data frame using reserved opcode 3", null, "protocol_error");
        assertClose(Termination.bufferOverflow(5, 64), 1013, "too much sent before upstream was ready (bound 5 frames, 64 bytes)", null,
                "buffer_overflow");
        assertClose(Termination.slowUpstream(Duration.ofSeconds(30)), 1013, "upstream too slow: stalled for 30 seconds", null, "slow_upstream");
        assertClose(Termination.slowClient(Duration.ofSeconds(30)), 1008, "client too slow to read: stalled for 30 seconds", null, "slow_client");
        assertClose(Termination.instructionsNotApplied("upstream refused them"), 1011, "server instructions not applied (upstream refused them)",
                null, "instructions_not_applied");
        assertClose(Refusal.bufferBudgetSpent(1024), 1013,
                "buffer_budget: The gateway holds its buffer budget of 1024 bytes for open Realtime sessions; try again later.",
                "session_limit_reached", "buffer_budget");
        assertClose(Termination.connectTimeout(Duration.ofMillis(250)), 1011, "upstream unreachable (no answer within 250 ms)", null,
                "upstream_unreachable");
    }

    @Test
    void upstreamFailuresAreToldApartByTheirCause() {
        Termination refused = Termination.upstreamFailed(new IllegalStateException(new UpgradeRejectedException("no", 403, null, null)));
        assertClose(refused, 1011, "upstream refused the handshake (HTTP 403)", null, "upstream_refused");
        Termination unreachable = Termination.upstreamFailed(new java.net.ConnectException("Connection refused: 127.0.0.1/127.0.0.1:1"));
        assertClose(unreachable, 1011, "upstream unreachable (connection refused)", null, "upstream_unreachable");
    }

    @Test
    void refusalsAreInvalidRequestErrorsClosedLikeOpenAiDoes() {
        assertClose(Refusal.betaClient(), 4000, "invalid_request_error.beta_api_shape_disabled", "beta_api_shape_disabled", "beta_client");
        assertClose(Refusal.callIdNotSupported(), 4000, "invalid_request_error.call_id_not_supported", "call_id_not_supported",
                "call_id_not_supported");
        assertClose(Refusal.invalidIntent(), 4000, "invalid_request_error.invalid_intent", "invalid_intent", "invalid_intent");
        Refusal model = Refusal.modelNotAllowed(List.of("gpt-realtime", "gpt-realtime-mini"));
        assertClose(model, 4000, "invalid_request_error.model_not_allowed", "model_not_allowed", "model_not_allowed");
        assertThat(model.message()).contains("Allowed models: gpt-realtime, gpt-realtime-mini.");
    }

    @Test
    void sessionCapRefusalsNameTheCapAndAskToTryAgain() {
        var config = RelayUnitsTest.config(Map.of("maxSessions", 500, "maxSessionsPerIdentity", 3));
        Refusal total = Refusal.sessionCap(RelayMetrics.Refused.MAX_SESSIONS, config);
        assertThat(total.errorCode()).isEqualTo("session_limit_reached");
        assertThat(total.close().code()).isEqualTo(1013);
        assertThat(total.close().reason()).startsWith("max_sessions: ").contains("500");
        Refusal perIdentity = Refusal.sessionCap(RelayMetrics.Refused.MAX_SESSIONS_PER_IDENTITY, config);
        assertThat(perIdentity.close().reason()).startsWith("max_sessions_per_identity: ").contains("3");
        assertThat(perIdentity.close().reason().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        Refusal perCaller = Refusal.sessionCap(RelayMetrics.Refused.MAX_SESSIONS_PER_CALLER,
                RelayUnitsTest.config(Map.of("maxSessions", 500, "maxSessionsPerIdentity", 3, "maxSessionsPerCaller", 40)));
        assertThat(perCaller.errorCode()).isEqualTo("session_limit_reached");
        assertThat(perCaller.close().code()).isEqualTo(1013);
        assertThat(perCaller.close().reason()).startsWith("max_sessions_per_caller: ").contains("40");
        assertThat(perCaller.close().reason().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
    }

    @Test
    void anInBandCloseSendsTheErrorEventThenTheClose() {
        RelayPolicy policy = RelayUnitsTest.policy(RelayUnitsTest.config(Map.of()));
        List<String> calls = new ArrayList<>();
        Termination.idle(Duration.ofSeconds(4)).sendTo(recording(calls), policy);
        assertThat(calls).hasSize(2);
        JsonObject event = new JsonObject(calls.get(0).substring("text ".length()));
        assertThat(event.getString("type")).isEqualTo("error");
        assertThat(event.getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
        assertThat(event.getJsonObject("error").getString("code")).isEqualTo("idle_timeout");
        assertThat(event.getJsonObject("error").getString("message")).isEqualTo("The session was idle for 4 seconds.");
        assertThat(calls.get(1)).isEqualTo("close 1000 The session was idle for 4 seconds.");

        calls.clear();
        Termination.slowClient(Duration.ofSeconds(30)).sendTo(recording(calls), policy);
        assertThat(calls).containsExactly("close 1008 client too slow to read: stalled for 30 seconds");
    }

    private static void assertClose(InBandClose close, int code, String reason, String errorCode, String label) {
        assertThat(close.close().code()).as(reason).isEqualTo(code);
        assertThat(close.close().reason()).isEqualTo(reason);
        assertThat(close.errorCode()).as(reason).isEqualTo(errorCode);
        String actual = close instanceof Refusal r ? r.reason().label() : ((Termination) close).reason().label();
        assertThat(actual).isEqualTo(label);
    }

    /** A socket that has closed with this status and reason. */
    private static WebSocketBase closed(Short status, String reason) {
        return (WebSocketBase) Proxy.newProxyInstance(RelayCloseMappingTest.class.getClassLoader(), new Class<?>[] {WebSocketBase.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "closeStatusCode" -> status;
                    case "closeReason" -> reason;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A socket that records the text messages written and the close, in order. */
    private static WebSocketBase recording(List<String> calls) {
        return (WebSocketBase) Proxy.newProxyInstance(RelayCloseMappingTest.class.getClassLoader(), new Class<?>[] {WebSocketBase.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("writeTextMessage") && args.length == 1) {
                        calls.add("text " + args[0]);
                        return Future.succeededFuture();
                    }
                    if (method.getName().equals("close") && args != null && args.length == 2) {
                        calls.add("close " + args[0] + " " + args[1]);
                        return Future.succeededFuture();
                    }
                    throw new UnsupportedOperationException(method.getName() + Arrays.toString(method.getParameterTypes()));
                });
    }
}
