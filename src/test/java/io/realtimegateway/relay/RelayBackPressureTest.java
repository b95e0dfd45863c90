package io.realtimegateway.relay;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.Management;
import io.vertx.core.json.JsonObject;

/**
 * A client that stops reading while upstream sends it 40 MiB: the relay stops reading upstream (back-pressure)
 * instead of buffering, so what it holds stays near the in-flight bound; the session resumes when the client reads
 * again, and is closed (1008 slow_client) only when the client stays stalled past the stall timeout. Memory is
 * asserted through the relay's own gauge of the bytes it holds, not through timing.
 */
@QuarkusTest
@TestProfile(RelayBackPressureTest.SmallBounds.class)
@WithTestResource(FakeOpenAiUpstream.class)
class RelayBackPressureTest extends RelaySocketTestBase {

    static final int MIB = 1024 * 1024;
    static final int FRAMES = 40;
    static final String BUFFERED = "gateway_realtime_buffered_bytes";
    static final String PAUSES_DOWN = "gateway_realtime_backpressure_pauses_total{direction=\"upstream_to_client\"}";

    public static class SmallBounds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.realtime.max-in-flight-bytes", Integer.toString(256 * 1024),
                    "gateway.realtime.stall-timeout", "6s",
                    "gateway.realtime.idle-timeout", "60s",
                    "gateway.realtime.max-buffered-bytes", Integer.toString(MIB));
        }
    }

    @Override
    void afterSocketsClosed() {
        await().atMost(TestSocket.WAIT).until(() -> metric("gateway_realtime_sessions_active") == 0 && metric(BUFFERED) == 0);
    }

    /** Starts a burst of 40 frames of 1 MiB towards a client that reads nothing, and waits until the relay paused upstream. */
    private SlowReader stalledClient() throws Exception {
        double pauses = metric(PAUSES_DOWN);
        SlowReader reader = SlowReader.open(relay, ticket());
        reader.sendText(new JsonObject().put("type", "fake.burst").put("bytes", MIB).put("count", FRAMES).encode());
        await().atMost(TestSocket.WAIT).until(() -> metric(PAUSES_DOWN) > pauses);
        return reader;
    }

    @Test
    void aClientThatStopsReadingPausesUpstreamAndTheSessionResumesWhenItReadsAgain() throws Exception {
        try (SlowReader reader = stalledClient()) {
            // The relay holds at most the in-flight bound plus the message that crossed it (and one in the loop's hands).
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            double most = 0;
            while (System.nanoTime() < deadline) {
                most = Math.max(most, metric(BUFFERED));
                Thread.sleep(100);
            }
            assertThat(most).as("bytes the relay held while the client read nothing").isPositive().isLessThanOrEqualTo(3.0 * MIB);
            assertThat(reader.binaryFrames.get()).isZero();

            reader.resume();
            await().atMost(TestSocket.WAIT).until(() -> reader.binaryFrames.get() == FRAMES);
            assertThat(reader.binaryBytes.get()).isEqualTo((long) FRAMES * MIB);
            assertThat(reader.ended).as("the session is still open").isFalse();
            assertThat(metric(terminations("slow_client"))).isZero();
            await().atMost(TestSocket.WAIT).until(() -> metric(BUFFERED) == 0);
        }
    }

    @Test
    void aClientStalledPastTheStallTimeoutIsClosedAndWhileTheBudgetIsSpentNewSessionsAreRefused() throws Exception {
        double terminated = metric(terminations("slow_client"));
        try (SlowReader reader = stalledClient()) {
            await().atMost(TestSocket.WAIT).until(() -> metric(BUFFERED) >= MIB);
            TestSocket refused = open(ticket());
            JsonObject error = refused.awaitEvent("error").getJsonObject("error");
            assertThat(error.getString("code")).isEqualTo("session_limit_reached");
            refused.awaitClosed();
            assertThat(refused.closeCode).isEqualTo(1013);
            assertThat(refused.closeReason).startsWith("buffer_budget");

            await().atMost(TestSocket.WAIT).until(() -> metric(terminations("slow_client")) == terminated + 1);
            reader.resume();
            await().atMost(TestSocket.WAIT).until(() -> reader.ended);
            assertThat(reader.binaryFrames.get()).isLessThan(FRAMES);
            assertThat(reader.closeCode).isIn(1008, null);
            await().atMost(TestSocket.WAIT).until(() -> metric(BUFFERED) == 0);
        }
        open(ticket()).awaitEvent("session.created"); // the budget is free again
        assertThat(Management.given().get("/q/metrics").asString()).contains(refusals("buffer_budget") + " 1.0");
    }
}
