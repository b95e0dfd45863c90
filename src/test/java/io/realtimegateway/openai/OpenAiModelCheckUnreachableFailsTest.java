package io.realtimegateway.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;

/** The default {@code gateway.preflight.unreachable=fail}: an OpenAI that never answers refuses boot. */
@QuarkusTest
@TestProfile(OpenAiModelCheckUnreachableFailsTest.UnreachableFails.class)
class OpenAiModelCheckUnreachableFailsTest {

    public static class UnreachableFails implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.openai.base-url", "http://127.0.0.1:1/v1",
                    "gateway.openai.api-key", OpenAiModelCheckUnreachableTest.KEY, "gateway.realtime.enabled", "true",
                    "gateway.preflight.attempts", "3", "gateway.preflight.retry-delay", "10ms", "gateway.preflight.timeout", "2s");
        }
    }

    @Inject
    OpenAiModelCheck check;

    @Test
    void unreachableOpenAiFailsAfterTheRetries() {
        List<CheckResult> results = check.run();

        assertThat(results).hasSize(1);
        assertThat(results.get(0).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(results.get(0).message()).contains("unreachable").contains("after 3 attempt(s)");
        assertThat(results.get(0).fix()).contains("GATEWAY_PREFLIGHT_UNREACHABLE=warn");
        assertThat(check.notReadyReason()).as("a FAIL refuses boot; readiness has nothing to add").isEmpty();
    }
}
