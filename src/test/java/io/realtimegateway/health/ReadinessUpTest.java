package io.realtimegateway.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.realtimegateway.testing.Management;
import io.realtimegateway.testing.Profiles;

/** A valid LiveKit and OpenAI configuration: the preflight readiness check is UP, and stale reports are re-run. */
@QuarkusTest
@TestProfile(Profiles.Tokens.class)
class ReadinessUpTest {

    @Test
    void preflightIsUpWithLiveKitAndOpenAiOk() {
        Management.given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'preflight' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'preflight' }.data.livekit", equalTo("UP"))
                .body("checks.find { it.name == 'preflight' }.data.openai", equalTo("UP"))
                .body("checks.find { it.name == 'preflight' }.data", not(hasKey("reason")))
                .body("checks.find { it.name == 'preflight' }.data", not(hasKey("livekit_reason")))
                .body("checks.find { it.name == 'preflight' }.data.'livekit.keys.present'", equalTo("OK"))
                .body("checks.find { it.name == 'preflight' }.data.'openai.api-key'", equalTo("OK"))
                .body(not(containsString(LiveKitTestConfig.SECRET)))
                .body(not(containsString(LiveKitTestConfig.OPENAI_KEY)));
    }

    @Test
    void staleReportIsRefreshedInTheBackground() {
        String first = checkedAt();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(checkedAt()).isNotEqualTo(first));
    }

    private static String checkedAt() {
        return Management.given().when().get("/q/health/ready").then().extract().path("checks.find { it.name == 'preflight' }.data.checked_at");
    }
}
