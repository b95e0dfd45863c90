package io.realtimegateway.openai;

import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.LogCapture;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.vertx.core.json.JsonObject;

/**
 * The online OpenAI check against the fake OpenAI upstream, one outcome per test: the check is run again after the
 * fake is switched into the mode under test. Every test also proves that neither the key, nor a fragment of it, nor
 * OpenAI's raw 401 message reaches the result or the log.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class)
class OpenAiModelCheckTest {

    private static final String KEY = FakeOpenAiUpstream.API_KEY;

    @Inject
    OpenAiModelCheck check;

    private final FakeOpenAiUpstream.Control fake = FakeOpenAiUpstream.control();

    @BeforeEach
    void reset() {
        fake.reset();
        check.run(); // back to a good state, so readiness starts UP
        fake.reset();
    }

    private CheckResult runCapturingLogs(List<String> logs) {
        try (LogCapture capture = new LogCapture()) {
            List<CheckResult> results = check.run();
            logs.addAll(capture.lines());
            assertThat(results).hasSize(1);
            CheckResult result = results.get(0);
            assertThat(result.name()).isEqualTo("openai.model-access");
            return result;
        }
    }

    private static void assertNothingSecret(CheckResult result, List<String> logs) {
        String everything = result.message() + "\n" + result.fix() + "\n" + String.join("\n", logs);
        assertThat(everything)
                .doesNotContain(KEY)
                .doesNotContain(KEY.substring(KEY.length() - 4)) // OpenAI's 401 message quotes the last four characters
                .doesNotContain(KEY.substring(0, 16))
                .doesNotContain("Incorrect API key provided");
    }

    @Test
    void acceptedKeyAndKnownModelPass() {
        List<String> logs = new ArrayList<>();
        CheckResult result = runCapturingLogs(logs);

        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(result.message()).contains("gpt-realtime").contains(Fingerprint.of(KEY));
        assertThat(fake.modelRequests()).isEqualTo(1);
        assertThat(fake.upgrades()).as("no realtime probe when the models call answers").isZero();
        assertNothingSecret(result, logs);
        given().get("/q/health/ready").then().body("checks.name", hasItem("openai.model-access"));
    }

    @Test
    void rejectedKeyFailsNamingTheFaultAndTheFixButNotTheKey() {
        fake.rejectKeys(true);
        List<String> logs = new ArrayList<>();
        CheckResult result = runCapturingLogs(logs);

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).contains("rejected the API key").contains("invalid_api_key").contains(Fingerprint.of(KEY));
        assertThat(result.fix()).contains("OPENAI_API_KEY");
        assertThat(fake.modelRequests()).as("a 401 is an answer: no retries").isEqualTo(1);
        assertNothingSecret(result, logs);
    }

    @Test
    void keyWithoutModelsScopeFallsBackToARealtimeProbeThatSeesSessionCreated() {
        fake.modelsAnswer("missing-scope");
        List<String> logs = new ArrayList<>();
        CheckResult result = runCapturingLogs(logs);

        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(result.message()).contains("missing scope").contains("session.created");
        List<JsonObject> probes = fake.connections();
        assertThat(probes).hasSize(1);
        JsonObject probe = probes.get(0);
        assertThat(probe.getString("query")).isEqualTo("model=gpt-realtime");
        assertThat(probe.getJsonObject("headers").getString("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(probe.getJsonArray("messages")).as("the probe sends nothing, so nothing is billed").isEmpty();
        await().untilAsserted(() -> assertThat(fake.connections().get(0).getInteger("closeCode")).isEqualTo(1000));
        assertNothingSecret(result, logs);
    }

    @Test
    void keyWithoutModelsScopeThatTheRealtimeApiRejectsFails() {
        fake.modelsAnswer("missing-scope");
        fake.rejectKeys(true); // the WebSocket answers with the error event and close 3000
        List<String> logs = new ArrayList<>();
        CheckResult result = runCapturingLogs(logs);

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).contains("close 3000").contains("invalid_api_key");
        assertThat(result.fix()).contains("OPENAI_API_KEY");
        assertNothingSecret(result, logs);
    }

    @Test
    void keyWithoutModelsScopeWhoseUpgradeIsRefusedFails() {
        fake.modelsAnswer("missing-scope");
        fake.handshakeStatus(403);
        List<String> logs = new ArrayList<>();
        CheckResult result = runCapturingLogs(logs);

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).contains("HTTP 403").contains("no Realtime access");
        assertThat(fake.upgrades()).as("a 403 is an answer: no retries").isEqualTo(1);
        assertNothingSecret(result, logs);
    }

    @Test
    void exhaustedQuotaWarnsAndTurnsReadinessDownWithTheReasonUntilTheNextPass() {
        fake.modelsAnswer("insufficient-quota");
        List<String> logs = new ArrayList<>();
        CheckResult result = runCapturingLogs(logs);

        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.message()).contains("insufficient_quota").contains("readiness is DOWN");
        assertThat(result.fix()).contains("billing");
        assertNothingSecret(result, logs);
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'openai.model-access' }.status", is("DOWN"))
                .body("checks.find { it.name == 'openai.model-access' }.data.reason", containsString("insufficient_quota"));

        fake.reset();
        assertThat(check.run().get(0).status()).isEqualTo(CheckStatus.OK);
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'openai.model-access' }.status", is("UP"));
    }
}
