package io.realtimegateway.livekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.preflight.Preflight;
import io.realtimegateway.preflight.PreflightReport;
import io.realtimegateway.testing.FakeLiveKitResource;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.realtimegateway.testing.Secrets;

/**
 * The gateway's secret differs from the server's: the fake answers 401 with the token echoed (as v1.13.5 does);
 * the report must name the key and the fault, and neither the report nor the log may contain the token.
 */
@QuarkusTest
@TestProfile(LiveKitServerCheckRejectedTest.WrongSecret.class)
class LiveKitServerCheckRejectedTest {

    static final String WRONG_SECRET = Secrets.shared("livekit-wrong-secret");
    static final Path LOG = Path.of("target", "livekit-server-check-rejected.log");

    public static class WrongSecret implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.file.enabled", "true", "quarkus.log.file.path", LOG.toString(),
                    "quarkus.log.category.\"io.realtimegateway\".level", "DEBUG");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeLiveKitResource.class, Map.of("secret", WRONG_SECRET)));
        }
    }

    @Inject
    Preflight preflight;

    @Test
    void reportNamesKeyAndFaultButNeverTheToken() throws IOException {
        PreflightReport report = preflight.latest();
        CheckResult result = report.checks().stream().filter(c -> c.name().equals("livekit.server")).findFirst().orElseThrow();
        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).contains(LiveKitTestConfig.API_KEY, "key/secret rejected by the LiveKit server");

        List<String> tokens = FakeLiveKitResource.server().receivedTokens();
        assertThat(tokens).isNotEmpty();
        String log = Files.readString(LOG);
        assertThat(log).as("the boot report was logged").contains("key/secret rejected by the LiveKit server");
        for (String text : List.of(report.toText(), log)) {
            assertThat(text).doesNotContain(WRONG_SECRET).doesNotContain(LiveKitTestConfig.SECRET).doesNotContain("eyJ");
            tokens.forEach(token -> assertThat(text).doesNotContain(token));
        }
    }
}
