package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.FaultProxy;
import io.restassured.response.Response;

/**
 * An upstream drop of about 2 s: the breaker opens, then a client that waits the Retry-After it was given (as an SDK
 * does) reaches the probe, which connects to the restored upstream and closes the breaker; sessions open again.
 */
@QuarkusTest
@TestProfile(UpstreamRecoveryTest.ShortBackoff.class)
class UpstreamRecoveryTest extends RelaySocketTestBase {

    public static class ShortBackoff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return UpstreamBreakerTest.Upstream.config("1s", "2s");
        }
    }

    @Test
    void aTwoSecondDropRecoversAtTheNextProbe() throws InterruptedException {
        FaultProxy proxy = UpstreamBreakerTest.Upstream.PROXY;
        proxy.drop(true);
        try {
            TestSocket failed = open(ticket());
            failed.awaitClosed();
            assertThat(failed.closeCode).isEqualTo(1011);
            Response refusal = upgradeRequest().header("Authorization", "Bearer " + ticket()).get("/v1/realtime?model=gpt-realtime");
            refusal.then().statusCode(503);
            long retryAfter = Long.parseLong(refusal.header("Retry-After"));
            // The drop lasts about 2 s in all, then the upstream is back.
            TimeUnit.SECONDS.sleep(2);
            proxy.drop(false);
            // A client honours Retry-After; the breaker may have doubled it since only if a probe ran, and none could.
            TimeUnit.SECONDS.sleep(retryAfter);
        } finally {
            proxy.drop(false);
        }
        int attempts = proxy.accepted();
        TestSocket probe = open(ticket());
        probe.awaitEvent("session.created");
        TestSocket next = open(ticket());
        next.awaitEvent("session.created");
        assertThat(proxy.accepted() - attempts).isEqualTo(2);
    }
}
