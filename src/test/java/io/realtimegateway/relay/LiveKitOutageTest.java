package io.realtimegateway.relay;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.Management;
import io.realtimegateway.testing.Profiles;
import io.vertx.core.json.JsonObject;

/**
 * LiveKit is down (nothing listens at its URL), OpenAI is up (the fake upstream), the online checks on with
 * {@code unreachable=warn}: readiness stays UP with {@code livekit} DEGRADED, and the relay goes on.
 */
@QuarkusTest
@TestProfile(Profiles.LiveKitDown.class)
class LiveKitOutageTest extends RelaySocketTestBase {

    @Test
    void readinessStaysUpWithLiveKitDegraded() {
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'preflight' }.data.openai", equalTo("UP"))
                .body("checks.find { it.name == 'preflight' }.data.livekit", equalTo("DEGRADED"))
                .body("checks.find { it.name == 'preflight' }.data.livekit_reason", startsWith("livekit.server warn: LiveKit server unreachable at "))
                .body("checks.find { it.name == 'preflight' }.data.livekit_reason", containsString("connection refused"));
    }

    @Test
    void theRelayGoesOn() {
        TestSocket socket = open(ticket());
        socket.awaitEvent("session.created");
        socket.send(new JsonObject().put("type", "fake.echo").put("n", 1));
        assertThat(socket.awaitEvent("fake.echo").getInteger("n")).isEqualTo(1);
        assertThat(socket.closed).isFalse();
    }

    @Test
    void tokensAreStillSigned() {
        // Signing needs no server: a client retries its join when LiveKit is back.
        given().contentType("application/json").body("{}").post("/api/livekit/token").then().statusCode(201);
    }
}
