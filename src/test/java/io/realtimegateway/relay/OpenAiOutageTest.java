package io.realtimegateway.relay;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.Management;
import io.realtimegateway.testing.Profiles;

/**
 * OpenAI is down (nothing listens at its URL), LiveKit is up (a fake livekit-server), the online checks on with
 * {@code unreachable=warn}: readiness stays UP with {@code openai} DEGRADED and the check's message, token issuance
 * goes on, and a relay client gets the documented 1011 close with a reason.
 */
@QuarkusTest
@TestProfile(Profiles.OpenAiDown.class)
class OpenAiOutageTest extends RelaySocketTestBase {

    @Test
    void readinessStaysUpWithOpenAiDegraded() {
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'preflight' }.data.livekit", equalTo("UP"))
                .body("checks.find { it.name == 'preflight' }.data.openai", equalTo("DEGRADED"))
                .body("checks.find { it.name == 'preflight' }.data.openai_reason",
                        allOf(containsString("openai.model-access"), containsString("unreachable at http://127.0.0.1:1/v1/models/gpt-realtime")))
                .body("checks.find { it.name == 'preflight' }.data", not(hasKey("reason")))
                .body(not(containsString(FakeOpenAiUpstream.API_KEY)));
    }

    @Test
    void tokenIssuanceGoesOn() {
        given().contentType("application/json").body("{}").post("/api/livekit/token").then().statusCode(201);
    }

    @Test
    void relayClientsGet1011WithAReason() {
        double terminated = metric(terminations("upstream_unreachable"));
        TestSocket socket = open(ticket());
        socket.awaitClosed();
        assertThat(socket.closeCode).isEqualTo(1011);
        assertThat(socket.closeReason).isEqualTo("upstream unreachable (connection refused)");
        assertThat(metric(terminations("upstream_unreachable"))).isEqualTo(terminated + 1);
    }
}
