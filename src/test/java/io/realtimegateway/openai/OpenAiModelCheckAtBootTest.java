package io.realtimegateway.openai;

import io.realtimegateway.testing.FakeOpenAiUpstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.preflight.Preflight;

/**
 * With {@code gateway.preflight.online=true} the check runs at boot, in the report the boot gate acted on. The fake
 * does not know the default model here, so OpenAI's 404 {@code model_not_found} must become a FAIL naming the model
 * and the setting to change (the test profile does not enforce, so the app still starts for the assertion).
 */
@QuarkusTest
@TestProfile(OpenAiModelCheckAtBootTest.Online.class)
@WithTestResource(value = FakeOpenAiUpstream.class, initArgs = @ResourceArg(name = "models", value = "gpt-realtime-mini"))
class OpenAiModelCheckAtBootTest {

    public static class Online implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.preflight.online", "true", "gateway.preflight.attempts", "1");
        }
    }

    @Inject
    Preflight preflight;

    @Test
    void unknownModelFailsTheBootReport() {
        CheckResult result = preflight.latest().checks().stream()
                .filter(c -> c.name().equals(OpenAiModelCheck.NAME)).findFirst().orElseThrow();

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).contains("model gpt-realtime").contains("model_not_found")
                .doesNotContain(FakeOpenAiUpstream.API_KEY);
        assertThat(result.fix()).contains("GATEWAY_REALTIME_MODELS");
        // One model request per online model check at boot: openai.model-access and openai.live-access.
        assertThat(FakeOpenAiUpstream.control().modelRequests()).isEqualTo(2);
    }
}
