package io.realtimegateway.relay;

import io.realtimegateway.testing.FakeOpenAiUpstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Upstream that cannot be reached: the client's upgrade succeeds, then it is closed with 1011 and a reason. */
@QuarkusTest
@TestProfile(RealtimeRelayUnreachableTest.NowhereUpstream.class)
class RealtimeRelayUnreachableTest extends RelaySocketTestBase {

    public static class NowhereUpstream implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // port 1 on loopback: nothing listens there, the connection is refused at once
            return Map.of("gateway.realtime.enabled", "true", "gateway.openai.api-key", FakeOpenAiUpstream.API_KEY,
                    "gateway.openai.base-url", "http://127.0.0.1:1/v1");
        }
    }

    @Test
    void unreachableUpstreamCloses1011WithAReason() {
        double terminated = metric(terminations("upstream_unreachable"));
        TestSocket socket = open(ticket());
        socket.awaitClosed();
        assertThat(socket.closeCode).isEqualTo(1011);
        assertThat(socket.closeReason).contains("upstream unreachable");
        assertThat(metric(terminations("upstream_unreachable"))).isEqualTo(terminated + 1);
    }
}
