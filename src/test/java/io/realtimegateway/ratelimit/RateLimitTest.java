package io.realtimegateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.realtimegateway.testing.Management;
import io.realtimegateway.testing.Secrets;
import io.restassured.response.Response;

/**
 * {@code GATEWAY_RATE_LIMIT_*} (memory mode): per caller and per bucket, the request over the limit gets 429
 * problem+json with {@code Retry-After}; the POST and GET token endpoints share one bucket, the ticket endpoint has
 * its own, and another caller is not affected. Refusals are counted without a caller label.
 */
@QuarkusTest
@TestProfile(RateLimitTest.TwoPerMinute.class)
class RateLimitTest {

    static final String ALICE = Secrets.shared("rate-limit-alice-key");
    static final String BOB = Secrets.shared("rate-limit-bob-key");

    public static class TwoPerMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return LiveKitTestConfig.valid("gateway.auth.mode", "api-key", "gateway.auth.api-keys", ALICE + "," + BOB,
                    "gateway.rate-limit.tokens-per-minute", "2", "gateway.rate-limit.tickets-per-minute", "1",
                    "gateway.openai.api-key", LiveKitTestConfig.OPENAI_KEY);
        }
    }

    private static Response postToken(String key) {
        return given().header("Authorization", "Bearer " + key).post("/api/livekit/token");
    }

    @Test
    void theTokenEndpointsShareOneLimitPerCallerAndTheRequestOverItGets429WithRetryAfter() {
        postToken(ALICE).then().statusCode(201);
        given().header("Authorization", "Bearer " + ALICE).get("/api/livekit-token").then().statusCode(200);
        Response refused = postToken(ALICE);
        refused.then().statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo("https://realtime-gateway.dev/problems/rate-limited"))
                .body("status", equalTo(429))
                .body("detail", containsString("may request 2 LiveKit tokens per minute"));
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        given().header("Authorization", "Bearer " + ALICE).get("/api/livekit-token").then().statusCode(429).header("Retry-After", notNullValue());

        postToken(BOB).then().statusCode(201); // another caller has its own window
        assertThat(Management.given().get("/q/metrics").asString()).contains("gateway_rate_limit_refusals_total{bucket=\"tokens\"} 2.0")
                .doesNotContain("api-key:");
    }

    @Test
    void theTicketEndpointHasItsOwnLimit() {
        given().header("Authorization", "Bearer " + BOB).contentType("application/json").body("{}").post("/api/realtime/client-secret")
                .then().statusCode(200);
        Response refused = given().header("Authorization", "Bearer " + BOB).contentType("application/json").body("{}")
                .post("/api/realtime/client-secret");
        refused.then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("https://realtime-gateway.dev/problems/rate-limited"))
                .body("detail", containsString("may request 1 relay tickets or client secrets per minute"));
        assertThat(refused.header("Retry-After")).isNotBlank();
        given().header("Authorization", "Bearer " + BOB).contentType("application/json").body("{}").post("/v1/realtime/client_secrets")
                .then().statusCode(429).body("type", equalTo("https://realtime-gateway.dev/problems/rate-limited")); // the same bucket
        given().header("Authorization", "Bearer " + Secrets.random(40)).contentType("application/json").body("{}")
                .post("/api/realtime/client-secret").then().statusCode(401); // authentication comes first: no bucket for strangers
    }
}
