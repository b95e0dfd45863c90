package io.realtimegateway.relay;

import io.realtimegateway.testing.FakeOpenAiUpstream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.Management;

/**
 * Many sessions at once: every admitted session gets its own upstream connection at the same time (Vert.x would
 * otherwise queue connections to one host past 50), and the total cap refuses the next one in-band.
 */
@QuarkusTest
@TestProfile(RealtimeRelayCapacityTest.SeventyTotal.class)
@WithTestResource(FakeOpenAiUpstream.class)
class RealtimeRelayCapacityTest extends RelaySocketTestBase {

    static final int MAX_SESSIONS = 70;

    public static class SeventyTotal implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.realtime.max-sessions", Integer.toString(MAX_SESSIONS),
                    "gateway.realtime.max-sessions-per-identity", Integer.toString(MAX_SESSIONS + 10));
        }
    }

    @Override
    void afterSocketsClosed() {
        await().atMost(TestSocket.WAIT).until(() -> Management.given().get("/q/metrics").asString().contains("gateway_realtime_sessions_active 0.0"));
    }

    @Test
    void everyAdmittedSessionIsLiveAtOnceAndTheTotalCapRefusesTheNext() {
        List<TestSocket> sockets = new ArrayList<>();
        for (int i = 0; i < MAX_SESSIONS; i++) {
            sockets.add(open(ticket()));
        }
        for (TestSocket socket : sockets) {
            socket.awaitEvent("session.created");
        }
        assertThat(fake.upgrades()).isEqualTo(MAX_SESSIONS);
        assertThat(sockets).noneMatch(socket -> socket.closed);

        TestSocket refused = open(ticket());
        assertThat(refused.awaitEvent("error").getJsonObject("error").getString("code")).isEqualTo("session_limit_reached");
        refused.awaitClosed();
        assertThat(refused.closeCode).isEqualTo(1013);
        assertThat(refused.closeReason).startsWith("max_sessions:");
        assertThat(fake.upgrades()).isEqualTo(MAX_SESSIONS);
    }
}
