package io.realtimegateway.relay;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;

/** No OpenAI key configured (the dev default without OPENAI_API_KEY): the relay refuses clearly. */
@QuarkusTest
@TestProfile(RealtimeRelayUnavailableTest.NoKey.class)
class RealtimeRelayUnavailableTest {

    public static class NoKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.realtime.enabled", "true", "gateway.openai.api-key", "");
        }
    }

    @TestHTTPResource("/v1/realtime")
    URI relay;

    @Inject
    Vertx vertx;

    @Test
    void ticketEndpointAnswers503Problem() {
        given().post("/api/realtime/client-secret")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("status", equalTo(503))
                .body("detail", containsString("OPENAI_API_KEY"));
    }

    @Test
    void upgradeIsRefusedWith503() {
        assertThatThrownBy(() -> TestSocket.connect(vertx, relay, "model=gpt-realtime", Map.of("Authorization", "Bearer ek_x"), List.of("realtime")))
                .isInstanceOf(UpgradeRejectedException.class)
                .satisfies(t -> assertThat(((UpgradeRejectedException) t).getStatus()).isEqualTo(503));
        given().header("Connection", "Upgrade").header("Upgrade", "websocket").header("Sec-WebSocket-Version", "13")
                .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .when().get("/v1/realtime?model=gpt-realtime")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("X-Gateway-Refusal", containsString("OPENAI_API_KEY"))
                .body("detail", containsString("OPENAI_API_KEY"));
    }
}
