package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.realtimegateway.config.RealtimeConfig;
import io.realtimegateway.preflight.CheckStatus;
import io.vertx.core.buffer.Buffer;

/** Pure units of the relay: close-code mapping, event types, session caps. */
class RelayUnitsTest {

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
    }

    @Test
    void eventTypesAreReadFromTheBytesLikeTheParserReadsThem() {
        RelayPolicy policy = new RelayPolicy(new ObjectMapper(), config(Map.of()));
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"type\":\"input_audio_buffer.append\",\"audio\":\"AAAA\"}", "input_audio_buffer.append");
        cases.put(" {\n  \"type\" : \"session.update\", \"session\": {}}", "session.update"); // json.dumps spacing
        cases.put("{\"event_id\":\"e1\",\"type\":\"response.create\"}", "response.create"); // type not first
        cases.put("{\"session\":{\"type\":\"realtime\"},\"type\":\"session.update\"}", "session.update"); // nested type first
        cases.put("{\"type\":\"session\\u002eupdate\"}", "session.update"); // an escape
        cases.put("{\"type\":\"caf\u00e9\"}", "caf\u00e9"); // non-ASCII
        cases.put("{\"type\":42}", null);
        cases.put("[\"type\"]", null);
        cases.put("not json", null);
        cases.put("", null);
        cases.forEach((json, expected) -> {
            assertThat(policy.typeOf(json)).as(json).isEqualTo(expected);
            assertThat(policy.typeOf(Buffer.buffer(json))).as(json).isEqualTo(expected);
        });
        assertThat(RelayPolicy.leadingType(Buffer.buffer("{\"type\":\"response.done\",\"response\":{}}"))).isEqualTo("response.done");
        assertThat(RelayPolicy.leadingType(Buffer.buffer("{\"event_id\":\"e1\",\"type\":\"x\"}"))).isNull();
    }

    @Test
    void reasonsAreCutTo123BytesWithoutSplittingACharacter() {
        String reason = "é".repeat(100); // 200 bytes
        String cut = CloseCodes.truncate(reason);
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(cut).isEqualTo("é".repeat(61));
        assertThat(CloseCodes.truncate("short")).isEqualTo("short");
    }

    @Test
    void sessionCapsCountPerIdentityAndInTotal() {
        SessionLimiter limiter = new SessionLimiter(config(Map.of("maxSessions", 3, "maxSessionsPerIdentity", 2)));
        assertThat(limiter.tryAcquire("alice")).isNull();
        assertThat(limiter.tryAcquire("alice")).isNull();
        assertThat(limiter.tryAcquire("alice")).isEqualTo("max_sessions_per_identity");
        assertThat(limiter.tryAcquire("bob")).isNull();
        assertThat(limiter.tryAcquire("carol")).isEqualTo("max_sessions");
        limiter.release("alice");
        assertThat(limiter.tryAcquire("carol")).isNull();
        assertThat(limiter.tryAcquire("alice")).isEqualTo("max_sessions");
    }

    /** A RealtimeConfig answering the given methods (instructions: none); any other call fails the test. */
    private static RealtimeConfig config(Map<String, Object> values) {
        return (RealtimeConfig) Proxy.newProxyInstance(RelayUnitsTest.class.getClassLoader(), new Class<?>[] {RealtimeConfig.class},
                (proxy, method, args) -> {
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    if (method.getName().equals("instructions")) {
                        return Optional.empty();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
