package io.realtimegateway.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.realtimegateway.testing.Management;

/** {@code GATEWAY_READINESS_REQUIRES=livekit}: a LiveKit outage takes readiness DOWN, naming the setting; tokens are still served. */
@QuarkusTest
@TestProfile(ReadinessRequiresTest.RequiresLiveKit.class)
class ReadinessRequiresTest {

    public static class RequiresLiveKit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return LiveKitTestConfig.valid("gateway.livekit.url", "ws://127.0.0.1:1", "gateway.preflight.online", "true",
                    "gateway.preflight.unreachable", "warn", "gateway.preflight.attempts", "1", "gateway.auth.mode", "none",
                    "gateway.readiness.requires", "livekit", "gateway.realtime.enabled", "false");
        }
    }

    @Test
    void aRequiredDependencyThatIsDownTakesReadinessDown() {
        Management.given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'preflight' }.data.requires", equalTo("livekit"))
                .body("checks.find { it.name == 'preflight' }.data.livekit", equalTo("DEGRADED"))
                .body("checks.find { it.name == 'preflight' }.data.reason",
                        startsWith("livekit is DEGRADED and GATEWAY_READINESS_REQUIRES names it: livekit.server warn: LiveKit server unreachable"));
    }

    @Test
    void theMetricsSayTheSame() {
        String metrics = Management.given().get("/q/metrics").asString();
        assertThat(metrics).contains("gateway_ready 0.0")
                .contains("gateway_feature_state{feature=\"livekit\",state=\"degraded\"} 1.0")
                .contains("gateway_feature_state{feature=\"livekit\",state=\"up\"} 0.0")
                .contains("gateway_feature_state{feature=\"livekit\",state=\"down\"} 0.0");
    }

    @Test
    void readinessOnlyTokensAreStillServed() {
        given().contentType("application/json").body("{}").post("/api/livekit/token").then().statusCode(201);
    }
}
