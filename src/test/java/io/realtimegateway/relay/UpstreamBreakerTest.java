package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.FaultProxy;
import io.realtimegateway.testing.LogCapture;
import io.restassured.response.Response;
import io.vertx.core.Vertx;

/**
 * The upstream's circuit breaker while the upstream resets every connection (a {@link FaultProxy} in front of the fake):
 * the first session dials and fails, then upgrades are refused without dialling, 503 with Retry-After before the
 * upgrade for clients without an {@code Origin}, 101 and 1013 for a browser; the WARN lines stay few. The backoff is a
 * minute here, so no probe runs during the test.
 */
@QuarkusTest
@TestProfile(UpstreamBreakerTest.BehindProxy.class)
class UpstreamBreakerTest extends RelaySocketTestBase {

    static final int BURST = 12;

    /** The fake upstream behind a fault proxy, started with the profile and kept for the JVM (the test's app shares it). */
    static final class Upstream {
        static final FakeOpenAiUpstream.Standalone FAKE = FakeOpenAiUpstream.standalone();
        static final FaultProxy PROXY = FaultProxy.to(Vertx.vertx(), "127.0.0.1", java.net.URI.create(FAKE.baseUrl()).getPort());

        static Map<String, String> config(String initialBackoff, String maxBackoff) {
            return Map.of("gateway.realtime.enabled", "true", "gateway.openai.api-key", FakeOpenAiUpstream.API_KEY,
                    "gateway.openai.base-url", "http://127.0.0.1:" + PROXY.port() + "/v1", FAKE_CONTROL_URL, FAKE.control().url(),
                    "gateway.realtime.upstream-breaker.failure-threshold", "1",
                    "gateway.realtime.upstream-breaker.initial-backoff", initialBackoff,
                    "gateway.realtime.upstream-breaker.max-backoff", maxBackoff);
        }
    }

    public static class BehindProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Upstream.config("60s", "60s");
        }
    }

    @Test
    void anOutageDialsOnceRefusesTheRestAndWarnsTwice() {
        FaultProxy proxy = Upstream.PROXY;
        proxy.drop(true);
        try (LogCapture logs = new LogCapture()) {
            int attempts = proxy.accepted();
            double refused = metric(refusals("upstream_unavailable"));

            // The first session dials the upstream and fails: that opens the breaker.
            TestSocket first = open(ticket());
            first.awaitClosed();
            assertThat(first.closeCode).isEqualTo(1011);

            // Clients without an Origin (SDKs, agents): 503 with Retry-After before any upgrade, and no dial. One ticket
            // for all: a refusal by the breaker does not spend it (else the second would be a 401 replay).
            String ticket = ticket();
            for (int i = 0; i < BURST; i++) {
                Response refusal = upgradeRequest().header("Authorization", "Bearer " + ticket).get("/v1/realtime?model=gpt-realtime");
                refusal.then().statusCode(503).contentType("application/problem+json")
                        .body("type", equalTo(PROBLEM_TYPE_BASE + "upstream-unavailable"));
                int retryAfter = Integer.parseInt(refusal.header("Retry-After"));
                assertThat(retryAfter).isBetween(1, 60);
            }

            // A browser sees no HTTP status: 101, then 1013 (try again later) with the reason.
            TestSocket browser = connect("model=gpt-realtime",
                    Map.of("Authorization", "Bearer " + ticket(), "Origin", "http://" + relay.getHost() + ":" + relay.getPort()), List.of());
            browser.awaitClosed();
            assertThat(browser.closeCode).isEqualTo(1013);
            assertThat(browser.closeReason).startsWith("upstream_unavailable: ");

            // Only the relay dials through the proxy here: the online model checks are off in %test.
            assertThat(proxy.accepted() - attempts).as("upstream connection attempts").isEqualTo(1);
            assertThat(metric(refusals("upstream_unavailable"))).isEqualTo(refused + BURST + 1);
            List<String> warnings = logs.lines().stream().filter(line -> line.contains("upstream") && line.contains("127.0.0.1:" + proxy.port()))
                    .filter(line -> line.contains("unreachable") || line.contains("could not reach")).toList();
            assertThat(warnings).as("upstream failure lines").hasSize(1);
            assertThat(warnings.get(0)).contains("refused without dialling");
        } finally {
            proxy.drop(false);
        }
    }
}
