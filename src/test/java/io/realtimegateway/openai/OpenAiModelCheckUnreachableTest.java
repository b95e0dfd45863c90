package io.realtimegateway.openai;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.preflight.Preflight;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.Management;
import io.realtimegateway.testing.Profiles;

/**
 * OpenAI does not answer (nothing listens on 127.0.0.1:1): bounded retries, then what
 * {@code gateway.preflight.unreachable} says. Here {@code warn}: the gateway serves, and readiness stays UP with
 * {@code openai} DEGRADED and the reason (an OpenAI outage concerns every replica alike).
 */
@QuarkusTest
@TestProfile(Profiles.OpenAiDown.class)
class OpenAiModelCheckUnreachableTest {

    static final String KEY = FakeOpenAiUpstream.API_KEY;

    @Inject
    OpenAiModelCheck check;

    @Inject
    Preflight preflight;

    @Test
    void unreachableOpenAiWarnsAfterTheRetriesAndShowsOpenAiDegraded() {
        List<CheckResult> results = check.run();

        assertThat(results).hasSize(1);
        CheckResult result = results.get(0);
        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.message()).contains("unreachable").contains("http://127.0.0.1:1/v1/models/gpt-realtime")
                .contains("after 2 attempt(s)").contains("serving anyway (gateway.preflight.unreachable=warn)").doesNotContain(KEY);
        assertThat(result.fix()).contains("OPENAI_BASE_URL");
        preflight.run();
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'preflight' }.data.openai", is("DEGRADED"))
                .body("checks.find { it.name == 'preflight' }.data.openai_reason", containsString("unreachable"));
    }
}
