package io.realtimegateway.openai;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.FakeOpenAiUpstream;

/**
 * The switches: {@code gateway.realtime.calls.sideband=false} sets calls up without a sideband (and so without a
 * held session slot), and {@code gateway.realtime.client-secrets.enabled=false} refuses client secrets with 503.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class)
@TestProfile(CallSidebandOffTest.SwitchesOff.class)
class CallSidebandOffTest extends CallTestBase {

    public static class SwitchesOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.realtime.calls.sideband", "false",
                    "gateway.realtime.client-secrets.enabled", "false",
                    "gateway.realtime.max-sessions-per-identity", "1");
        }
    }

    @Test
    void callsAreSetUpWithoutASideband() {
        String first = startCall();
        String second = startCall();
        assertThat(first).isNotEqualTo(second);
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> fake.connections().isEmpty());
        assertThat(metric("gateway_realtime_calls_active")).isZero();
        assertThat(fake.calls()).hasSize(2);
    }

    @Test
    void clientSecretsCanBeTurnedOff() {
        given().post("/v1/realtime/client_secrets")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_TYPE_BASE + "relay-unavailable"))
                .body("detail", containsString("GATEWAY_REALTIME_CLIENT_SECRETS_ENABLED=false"));
        assertThat(fake.clientSecrets()).isEmpty();
    }
}
