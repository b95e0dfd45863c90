package io.realtimegateway.relay;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.Management;
import io.vertx.core.http.UpgradeRejectedException;

/**
 * No OpenAI key configured (the dev default without OPENAI_API_KEY): the relay, ticket, call and client-secret
 * endpoints refuse with the same problem, type {@code relay-unavailable}, naming the missing key.
 */
@QuarkusTest
@TestProfile(RealtimeRelayUnavailableTest.NoKey.class)
class RealtimeRelayUnavailableTest extends RelaySocketTestBase {

    static final String RELAY_UNAVAILABLE = PROBLEM_TYPE_BASE + "relay-unavailable";

    public static class NoKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.realtime.enabled", "true", "gateway.openai.api-key", "");
        }
    }

    @Test
    void ticketEndpointAnswers503Problem() {
        double refused = metric(refusals("disabled"));
        given().post("/api/realtime/client-secret")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo(RELAY_UNAVAILABLE))
                .body("title", equalTo("Realtime relay unavailable"))
                .body("status", equalTo(503))
                .body("detail", containsString("OPENAI_API_KEY"));
        // counted with the upgrade's refusals, under the same reason
        assertThat(metric(refusals("disabled"))).isEqualTo(refused + 1);
    }

    @Test
    void upgradeIsRefusedWith503() {
        double refused = metric(refusals("disabled"));
        assertThatThrownBy(() -> connect("model=gpt-realtime", Map.of("Authorization", "Bearer ek_x"), List.of("realtime")))
                .isInstanceOf(UpgradeRejectedException.class)
                .satisfies(t -> assertThat(((UpgradeRejectedException) t).getStatus()).isEqualTo(503));
        upgradeRequest()
                .when().get("/v1/realtime?model=gpt-realtime")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("X-Gateway-Refusal", containsString("OPENAI_API_KEY"))
                .body("type", equalTo(RELAY_UNAVAILABLE))
                .body("title", equalTo("Realtime relay unavailable"))
                .body("status", equalTo(503))
                .body("detail", containsString("OPENAI_API_KEY"));
        assertThat(metric(refusals("disabled"))).isEqualTo(refused + 2);
    }

    @Test
    void bothEndpointsAnswerTheSameDetail() {
        String atTickets = given().post("/api/realtime/client-secret").then().statusCode(503).extract().path("detail");
        String atRelay = upgradeRequest().get("/v1/realtime?model=gpt-realtime").then().statusCode(503).extract().path("detail");
        assertThat(atRelay).isEqualTo(atTickets);
    }

    @Test
    void theWebRtcEndpointsAnswerTheSameProblem() {
        String atTickets = given().post("/api/realtime/client-secret").then().statusCode(503).extract().path("detail");
        given().header("Authorization", "Bearer ek_x").contentType("application/sdp").body("v=0\r\n".getBytes(StandardCharsets.UTF_8))
                .post("/v1/realtime/calls")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo(RELAY_UNAVAILABLE))
                .body("detail", equalTo(atTickets));
        given().post("/v1/realtime/client_secrets")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo(RELAY_UNAVAILABLE))
                .body("detail", equalTo(atTickets));
    }

    @Test
    void relayOnIsTheFirstStepOfEveryDoorAndEachRefusalCounts() {
        double refused = metric(refusals("disabled"));
        // Every door's body names the reason it was counted under.
        given().post("/api/realtime/client-secret").then().statusCode(503).body("reason", equalTo("disabled"));
        given().post("/v1/realtime/client_secrets").then().statusCode(503).body("reason", equalTo("disabled"));
        // Before the ticket is looked at, and before the offer is read.
        given().contentType("application/sdp").body("not an offer".getBytes(StandardCharsets.UTF_8)).post("/v1/realtime/calls")
                .then().statusCode(503).body("type", equalTo(RELAY_UNAVAILABLE)).body("reason", equalTo("disabled"));
        upgradeRequest().get("/v1/realtime?model=gpt-realtime").then().statusCode(503).body("reason", equalTo("disabled"));
        // The console's try-it answers with its own result, refused by the same step.
        Management.given().header("X-Console", "1").post("/console/api/try/relay").then().statusCode(200)
                .body("ok", equalTo(false))
                .body("detail", containsString("OPENAI_API_KEY"));
        assertThat(metric(refusals("disabled"))).isEqualTo(refused + 5);
    }
}
