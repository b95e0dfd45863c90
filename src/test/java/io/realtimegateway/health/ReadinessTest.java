package io.realtimegateway.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.realtimegateway.testing.Management;

/**
 * Readiness reflects a broken local configuration (an http:// LIVEKIT_URL, all else valid): DOWN, with the failing
 * check, the reason and the LiveKit summary in the data.
 */
@QuarkusTest
@TestProfile(LiveKitTestConfig.HttpUrl.class)
class ReadinessTest {

    @Test
    void readinessIsDownWithTheFailingCheck() {
        Management.given().when().get("/q/health/ready").then()
                .statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.name", hasItem("preflight"))
                .body("checks.find { it.name == 'preflight' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'preflight' }.data.livekit", equalTo("DOWN"))
                .body("checks.find { it.name == 'preflight' }.data.livekit_reason", startsWith("livekit.url fail: "))
                .body("checks.find { it.name == 'preflight' }.data.reason", startsWith("local check failed: livekit.url fail: "))
                .body("checks.find { it.name == 'preflight' }.data.openai", equalTo("UP"))
                .body("checks.find { it.name == 'preflight' }.data.'livekit.url'", equalTo("FAIL"))
                .body("checks.find { it.name == 'preflight' }.data.'livekit.secret.length'", equalTo("OK"))
                .body(not(containsString(LiveKitTestConfig.SECRET)))
                .body(not(containsString(LiveKitTestConfig.OPENAI_KEY)));
    }

    @Test
    void livenessStaysUp() {
        Management.given().when().get("/q/health/live").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("gateway"));
    }
}
