package io.realtimegateway.openai;

import io.realtimegateway.testing.FakeOpenAiUpstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;

/** A key with a trailing CR/LF (a .env saved on Windows) is reported, not sent: it is not even a valid header value. */
@QuarkusTest
@TestProfile(OpenAiModelCheckMalformedKeyTest.TrailingNewline.class)
@WithTestResource(FakeOpenAiUpstream.class)
class OpenAiModelCheckMalformedKeyTest {

    static final String KEY = FakeOpenAiUpstream.API_KEY + "\r\n";

    public static class TrailingNewline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.openai.api-key", KEY);
        }
    }

    @Inject
    OpenAiModelCheck check;

    @Test
    void malformedKeyFailsWithoutCallingOpenAi() {
        FakeOpenAiUpstream.control().reset();
        List<CheckResult> results = check.run();

        assertThat(results).hasSize(1);
        assertThat(results.get(0).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(results.get(0).message()).contains("OPENAI_API_KEY contains a line break").doesNotContain(FakeOpenAiUpstream.API_KEY);
        assertThat(FakeOpenAiUpstream.control().modelRequests()).isZero();
    }
}
