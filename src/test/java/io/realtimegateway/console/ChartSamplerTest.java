package io.realtimegateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.ClientSockets;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.StepClock;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * The console charts' sampler on the gateway's own meters, driven by a workload through the fake upstream. Each test
 * samples with its own {@link StepClock} (the bean's timer keeps running beside it), so the rates are exact.
 */
@QuarkusTest
@TestProfile(ConsoleProfile.class)
@WithTestResource(FakeOpenAiUpstream.class)
class ChartSamplerTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URI base;

    @Inject
    MeterRegistry registry;

    @Inject
    Vertx vertx;

    @Test
    void theHistoryKeepsItsCapacityAndDropsTheOldest() {
        StepClock clock = new StepClock();
        ChartSampler sampler = new ChartSampler(registry, TEN_SECONDS, clock);
        sampler.sample();
        assertThat(sampler.history().points()).as("the first sample is the rates' baseline").isEmpty();
        int extra = 40;
        for (int i = 0; i < ChartHistory.CAPACITY + extra; i++) {
            clock.advance(TEN_SECONDS);
            sampler.sample();
        }
        List<ChartHistory.Point> points = sampler.history().points();
        assertThat(points).hasSize(ChartHistory.CAPACITY);
        assertThat(points.get(0).seq()).isEqualTo(extra + 1);
        assertThat(points.get(points.size() - 1).seq()).isEqualTo(ChartHistory.CAPACITY + extra);
        assertThat(points.get(points.size() - 1).at() - points.get(0).at()).as("an hour").isEqualTo(Duration.ofMinutes(60).minus(TEN_SECONDS).toMillis());
        assertThat(sampler.charts().points()).hasSize(ChartHistory.CAPACITY);
        assertThat(sampler.history().since(ChartHistory.CAPACITY + extra - 2)).extracting(ChartHistory.Point::seq)
                .containsExactly((long) ChartHistory.CAPACITY + extra - 1, (long) ChartHistory.CAPACITY + extra);
    }

    @Test
    void sessionsAdmissionsRefusalsFramesAndTokensOfAWorkloadShowUp() throws Exception {
        StepClock clock = new StepClock();
        ChartSampler sampler = new ChartSampler(registry, TEN_SECONDS, clock);
        double framesUp = total("gateway.realtime.frames", "direction", "client_to_upstream");
        double tokens = total("gateway.realtime.usage.tokens", "kind", "total");
        sampler.sample();

        ClientWebSocket first = ConsoleFeedTest.relaySession(vertx, base);
        ClientWebSocket second = ConsoleFeedTest.relaySession(vertx, base);
        first.writeTextMessage(new JsonObject().put("type", "response.create").encode());
        await().atMost(FeedClient.WAIT).until(() -> total("gateway.realtime.usage.tokens", "kind", "total") >= tokens + 30);
        refusedUpgrade();
        clock.advance(TEN_SECONDS);
        sampler.sample();

        ChartHistory.Point open = last(sampler);
        assertThat(value(open, "sessions", "relay")).as("live relay sessions").isGreaterThanOrEqualTo(2);
        assertThat(value(open, "admissions", "admitted")).as("2 sessions in 10 s, per minute").isGreaterThanOrEqualTo(12);
        assertThat(value(open, "admissions", "refused")).as("1 refusal in 10 s, per minute").isGreaterThanOrEqualTo(6);
        assertThat(value(open, "usage", "tokens")).as("30 tokens in 10 s, per minute").isEqualTo(180);

        first.close((short) 1000).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        second.close((short) 1000).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        // A session adds its frames to the shared meters periodically and when it ends.
        await().atMost(FeedClient.WAIT).until(() -> total("gateway.realtime.frames", "direction", "client_to_upstream") >= framesUp + 1);
        clock.advance(TEN_SECONDS);
        sampler.sample();
        ChartHistory.Point closed = last(sampler);
        assertThat(value(open, "frames", "up") + value(closed, "frames", "up")).as("frames per second, client to upstream").isGreaterThanOrEqualTo(0.1);
        assertThat(value(open, "frames", "down") + value(closed, "frames", "down")).as("frames per second, upstream to client").isGreaterThan(0.1);
        assertThat(value(closed, "usage", "tokens")).as("nothing used in the second interval").isZero();
        assertThat(sampler.history().points()).hasSize(2);
    }

    /** An upgrade with a ticket the gateway never issued: refused at admission. */
    private void refusedUpgrade() {
        ClientWebSocket socket = vertx.createWebSocketClient().webSocket();
        try {
            ClientSockets.connect(vertx, socket, new WebSocketConnectOptions().setHost(base.getHost()).setPort(base.getPort())
                    .setURI("/v1/realtime?model=gpt-realtime").addHeader("Authorization", "Bearer not-a-ticket")).get(15, TimeUnit.SECONDS);
        } catch (Exception expected) {
            return; // refused at the upgrade
        }
        throw new AssertionError("the upgrade was accepted");
    }

    private double total(String name, String... tags) {
        return ChartSeries.total(name, tags).applyAsDouble(registry);
    }

    private static ChartHistory.Point last(ChartSampler sampler) {
        List<ChartHistory.Point> points = sampler.history().points();
        return points.get(points.size() - 1);
    }

    private static double value(ChartHistory.Point point, String chart, String series) {
        for (ChartSampler.ChartView view : new ChartSampler(null, TEN_SECONDS, new StepClock()).charts().charts()) {
            if (view.id().equals(chart)) {
                for (int i = 0; i < view.series().size(); i++) {
                    if (view.series().get(i).name().equals(series)) {
                        return point.values()[view.index() + i];
                    }
                }
            }
        }
        throw new AssertionError("no series " + chart + "/" + series);
    }
}
