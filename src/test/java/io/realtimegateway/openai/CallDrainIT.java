package io.realtimegateway.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.GatewayProcess;
import io.realtimegateway.testing.RelayJar;

/**
 * SIGTERM on the packaged jar with a live WebRTC call (through the fake upstream): new calls get 503 problem+json
 * with Retry-After during the drain (as do client secrets and relay tickets, each refusal counted), and the call still live when {@code GATEWAY_SHUTDOWN_DRAIN} is over is hung up
 * through OpenAI's API ({@code POST /v1/realtime/calls/{id}/hangup}), logged, before the process exits 0.
 */
class CallDrainIT {

    private static final long DRAIN_MILLIS = 3000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void sigtermRefusesNewCallsThenHangsTheLiveOnesUpAndExitsZero() throws Exception {
        try (RelayJar jar = RelayJar.start(env -> env.with("GATEWAY_SHUTDOWN_DRAIN", DRAIN_MILLIS + "ms"))) {
            GatewayProcess gateway = jar.gateway();
            HttpResponse<String> answered = postOffer(gateway, jar.ticket());
            assertThat(answered.statusCode()).as(answered.body()).isEqualTo(201);
            String location = answered.headers().firstValue("Location").orElseThrow();
            String call = location.substring(location.lastIndexOf('/') + 1);
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> gateway.output().contains("Realtime call started: identity="));
            String unused = jar.ticket();

            double shuttingDown = refusedShuttingDown(gateway);
            long sigterm = System.nanoTime();
            gateway.terminate();
            HttpResponse<String> refused = awaitRefused(gateway, unused);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.body()).contains("shutting-down", "WebRTC calls");
            HttpResponse<String> secret = gateway.postJson("/v1/realtime/client_secrets", "{}", jar.env().callerKey());
            assertThat(secret.statusCode()).as("client secrets are refused like tickets").isEqualTo(503);
            assertThat(secret.headers().firstValue("Retry-After")).isPresent();
            assertThat(secret.body()).contains("shutting-down", "OpenAI client secrets");
            HttpResponse<String> ticket = gateway.postJson("/api/realtime/client-secret", "{}", jar.env().callerKey());
            assertThat(ticket.statusCode()).isEqualTo(503);
            assertThat(ticket.body()).contains("shutting-down", "relay tickets");
            assertThat(refusedShuttingDown(gateway)).as("each door's drain refusal counts, in one place").isEqualTo(shuttingDown + 3);
            assertThat(jar.fake().hangups()).as("the drain lets the call go on first").isEmpty();

            int exit = gateway.awaitExit(30);
            assertThat(exit).as(gateway.redactedOutput()).isZero();
            assertThat(jar.fake().hangups()).containsExactly(call);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm)).as("hung up when the drain was over").isGreaterThanOrEqualTo(DRAIN_MILLIS - 500);
            assertThat(gateway.output()).contains("Realtime call " + call + " for ", "hanging up (the gateway is shutting down")
                    .containsPattern("Realtime call ended: identity=\\S+ call=" + call + " .*end=shutting_down")
                    .doesNotContain("Exception").doesNotContain(FakeOpenAiUpstream.API_KEY);
            assertThat(jar.fake().calls()).as("the refused call never reached OpenAI").hasSize(1);
        }
    }

    /** {@code gateway_realtime_refusals_total{reason="shutting_down"}}. */
    private static double refusedShuttingDown(GatewayProcess gateway) {
        Matcher m = Pattern.compile("(?m)^gateway_realtime_refusals_total\\{reason=\"shutting_down\"\\} (\\S+)$")
                .matcher(gateway.management("/q/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** A new call once the drain has begun (readiness DOWN), so that the ticket is not spent by a race with the signal. */
    private static HttpResponse<String> awaitRefused(GatewayProcess gateway, String ticket) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (gateway.management("/q/health/ready").statusCode() != 503) {
            assertThat(System.nanoTime()).as("readiness never went DOWN").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
        HttpResponse<String> response = postOffer(gateway, ticket);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        return response;
    }

    private static HttpResponse<String> postOffer(GatewayProcess gateway, String ticket) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.awaitListening() + "/v1/realtime/calls"))
                .header("Authorization", "Bearer " + ticket).header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(CallTestBase.OFFER)).timeout(Duration.ofSeconds(30)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("request to the gateway failed: " + e, e);
        }
    }
}
