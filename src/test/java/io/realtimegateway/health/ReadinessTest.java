package io.realtimegateway.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Readiness reflects a broken configuration: DOWN, with the failing check and the LiveKit summary in the data. */
@QuarkusTest
@TestProfile(ReadinessTest.BrokenLiveKit.class)
class ReadinessTest {

    static final String SECRET = "Kq3ZpV9xW2mN8rT5yB7cD1fG4hJ6kL0a";

    /** An http:// URL (a FAIL) and an otherwise valid configuration. */
    public static class BrokenLiveKit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.livekit.url", "http://localhost:7880",
                    "gateway.livekit.api-key", "APIreadiness",
                    "gateway.livekit.api-secret", SECRET,
                    "gateway.livekit.keys", "",
                    "gateway.livekit.config-file", "",
                    "gateway.openai.api-key", "sk-proj-" + SECRET);
        }
    }

    @Test
    void readinessIsDownWithTheFailingCheck() {
        given().when().get("/q/health/ready").then()
                .statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.name", hasItem("preflight"))
                .body("checks.find { it.name == 'preflight' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'preflight' }.data.livekit", equalTo("FAIL"))
                .body("checks.find { it.name == 'preflight' }.data.openai", equalTo("OK"))
                .body("checks.find { it.name == 'preflight' }.data.'livekit.url'", equalTo("FAIL"))
                .body("checks.find { it.name == 'preflight' }.data.'livekit.secret.length'", equalTo("OK"))
                .body(not(containsString(SECRET)));
    }

    @Test
    void livenessStaysUp() {
        given().when().get("/q/health/live").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("gateway"));
    }
}
