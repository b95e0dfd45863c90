package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.realtimegateway.config.RealtimeConfig;
import io.vertx.core.buffer.Buffer;

/** Pure units of the relay: event types, usage and session ids, session caps. */
class RelayUnitsTest {

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
    void usageAndSessionIdsAreReadFromTheirEvents() {
        RelayPolicy policy = new RelayPolicy(new ObjectMapper(), config(Map.of()));
        assertThat(policy.usage("{\"type\":\"response.done\",\"response\":{\"usage\":{\"input_tokens\":3,\"output_tokens\":4,\"total_tokens\":7}}}"))
                .isEqualTo(new RelayPolicy.Usage(3, 4, 7));
        assertThat(policy.usage("{\"type\":\"response.done\",\"response\":{}}")).isNull();
        assertThat(policy.usage("not json")).isNull();
        assertThat(policy.sessionId("{\"type\":\"session.created\",\"session\":{\"id\":\"sess_1\"}}")).isEqualTo("sess_1");
        assertThat(policy.sessionId("{\"type\":\"session.created\"}")).isEqualTo("-");
        assertThat(policy.sessionId("[")).isEqualTo("-");
    }

    @Test
    void sessionCapsCountPerIdentityAndInTotal() {
        SessionLimiter limiter = new SessionLimiter(config(Map.of("maxSessions", 3, "maxSessionsPerIdentity", 2)));
        assertThat(limiter.tryAcquire("alice")).isNull();
        assertThat(limiter.tryAcquire("alice")).isNull();
        assertThat(limiter.tryAcquire("alice")).isEqualTo(RelayMetrics.Refused.MAX_SESSIONS_PER_IDENTITY);
        assertThat(limiter.tryAcquire("bob")).isNull();
        assertThat(limiter.tryAcquire("carol")).isEqualTo(RelayMetrics.Refused.MAX_SESSIONS);
        limiter.release("alice");
        assertThat(limiter.tryAcquire("carol")).isNull();
        assertThat(limiter.tryAcquire("alice")).isEqualTo(RelayMetrics.Refused.MAX_SESSIONS);
    }

    /** A RealtimeConfig answering the given methods (instructions: none); any other call fails the test. */
    static RealtimeConfig config(Map<String, Object> values) {
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
