package io.realtimegateway.livekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.preflight.Preflight;
import io.realtimegateway.testing.FakeLiveKitResource;
import io.realtimegateway.testing.LiveKitTestConfig;

/** With gateway.preflight.online=true the boot calls ListRooms on the (fake) LiveKit server with our key pair. */
@QuarkusTest
@TestProfile(LiveKitServerCheckTest.Online.class)
class LiveKitServerCheckTest {

    public static class Online implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeLiveKitResource.class));
        }
    }

    @Inject
    Preflight preflight;

    @Test
    void bootReportShowsTheServerAcceptedTheKey() {
        CheckResult result = preflight.latest().checks().stream().filter(c -> c.name().equals("livekit.server")).findFirst().orElseThrow();
        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(result.message()).contains(LiveKitTestConfig.API_KEY).doesNotContain(LiveKitTestConfig.SECRET);
        assertThat(FakeLiveKitResource.server().receivedTokens()).isNotEmpty();
    }
}
