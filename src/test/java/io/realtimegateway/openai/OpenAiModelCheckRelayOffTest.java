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

/** A disabled relay needs no OpenAI key, so the online check calls nobody (the base URL would not answer). */
@QuarkusTest
@TestProfile(OpenAiModelCheckRelayOffTest.RelayOff.class)
class OpenAiModelCheckRelayOffTest {

    public static class RelayOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.realtime.enabled", "false", "gateway.openai.base-url", "http://127.0.0.1:1/v1",
                    "gateway.openai.api-key", OpenAiModelCheckUnreachableTest.KEY, "gateway.preflight.unreachable", "fail");
        }
    }

    @Inject
    OpenAiModelCheck check;

    @Test
    void disabledRelayIsSkipped() {
        List<CheckResult> results = check.run();

        assertThat(results).hasSize(1);
        assertThat(results.get(0).status()).isEqualTo(CheckStatus.OK);
        assertThat(results.get(0).message()).contains("skipped").contains("disabled");
    }
}
