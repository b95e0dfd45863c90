package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.realtimegateway.testing.GatewayProcess;
import io.realtimegateway.testing.RelayJar;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;

/**
 * SIGTERM on the packaged jar with live relay sessions (through the fake upstream): readiness goes DOWN at once, new
 * tickets and upgrades get 503 with Retry-After while token requests are still served, a session that ends on its
 * own during the drain ends normally, WebRTC calls and OpenAI client secrets are refused like relay sessions, the rest get an {@code error} event and 1001 "gateway shutting down" when
 * {@code GATEWAY_SHUTDOWN_DRAIN} is over (their upstream legs closed with 1000), and the process exits 0. A second
 * SIGTERM ends the drain at once.
 */
class GracefulDrainIT {

    private static final long DRAIN_MILLIS = 4000;
    private static Vertx vertx;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void close() {
        vertx.close();
    }

    @Test
    void sigtermDrainsThenClosesTheRestWith1001AndExitsZero() throws Exception {
        try (RelayJar jar = RelayJar.start(env -> env.with("GATEWAY_SHUTDOWN_DRAIN", DRAIN_MILLIS + "ms"))) {
            GatewayProcess gateway = jar.gateway();
            TestSocket leavesOnItsOwn = open(jar);
            TestSocket stays = open(jar);
            TestSocket staysToo = open(jar);
            String unusedTicket = jar.ticket();
            assertThat(gateway.management("/q/health/ready").statusCode()).isEqualTo(200);

            long sigterm = System.nanoTime();
            gateway.terminate();
            awaitReadiness(gateway, 503);
            HttpResponse<String> ready = gateway.management("/q/health/ready");
            assertThat(new JsonObject(ready.body()).getJsonArray("checks").stream().map(JsonObject.class::cast)
                    .filter(c -> "preflight".equals(c.getString("name"))).findFirst().orElseThrow().getJsonObject("data").getBoolean("draining"))
                    .isTrue();
            assertThat(millisSince(sigterm)).as("readiness DOWN at once").isLessThan(DRAIN_MILLIS / 2);

            HttpResponse<String> ticket = gateway.postJson("/api/realtime/client-secret", "{}", jar.env().callerKey());
            assertThat(ticket.statusCode()).isEqualTo(503);
            assertThat(ticket.headers().firstValue("Retry-After")).isPresent();
            assertThat(ticket.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(ticket.body()).contains("shutting down");
            // The WebRTC calls and OpenAI client secrets are new sessions too: refused alike, the ticket not spent.
            HttpResponse<String> call = gateway.post("/v1/realtime/calls", "application/sdp", "v=0\r\n", unusedTicket);
            assertThat(call.statusCode()).as(call.body()).isEqualTo(503);
            assertThat(call.headers().firstValue("Retry-After")).isPresent();
            assertThat(call.body()).contains("shutting down");
            HttpResponse<String> clientSecret = gateway.postJson("/v1/realtime/client_secrets", "{}", jar.env().callerKey());
            assertThat(clientSecret.statusCode()).as(clientSecret.body()).isEqualTo(503);
            assertThat(clientSecret.body()).contains("shutting down");
            assertThatThrownBy(() -> connect(gateway, unusedTicket))
                    .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> {
                        assertThat(e.getStatus()).isEqualTo(503);
                        assertThat(e.getHeaders().get("Retry-After")).isNotNull();
                    });
            assertThat(gateway.postJson("/api/livekit/token", "{}", jar.env().callerKey()).statusCode())
                    .as("token requests are served during the drain").isEqualTo(201);

            leavesOnItsOwn.ws.close((short) 1000, "done");
            leavesOnItsOwn.awaitClosed();
            assertThat(leavesOnItsOwn.closeCode).isEqualTo(1000);
            assertThat(gateway.isAlive()).as("the drain waits for the other sessions").isTrue();

            stays.awaitClosed();
            staysToo.awaitClosed();
            for (TestSocket socket : List.of(stays, staysToo)) {
                assertThat(socket.closeCode).isEqualTo(1001);
                assertThat(socket.closeReason).isEqualTo("gateway shutting down");
                JsonObject error = socket.awaitEvent("error");
                assertThat(error.getJsonObject("error").getString("code")).isEqualTo("server_shutting_down");
                long closedAfter = TimeUnit.NANOSECONDS.toMillis(socket.closedAtNanos - sigterm);
                assertThat(closedAfter).as("closed when the drain is over").isBetween(DRAIN_MILLIS - 500, DRAIN_MILLIS + 5000);
            }
            int exit = gateway.awaitExit(30);
            assertThat(exit).as(gateway.redactedOutput()).isZero();
            assertThat(gateway.output()).doesNotContain("Exception");

            List<JsonObject> upstream = jar.fake().connections();
            assertThat(upstream).hasSize(3);
            assertThat(upstream).allSatisfy(c -> assertThat(c.getBoolean("closed")).isTrue());
            assertThat(upstream.stream().map(c -> c.getInteger("closeCode")).toList()).containsExactlyInAnyOrder(1000, 1000, 1000);
        }
    }

    @Test
    void aSecondSigtermEndsTheDrainAtOnce() throws Exception {
        try (RelayJar jar = RelayJar.start(env -> env.with("GATEWAY_SHUTDOWN_DRAIN", "60s"))) {
            GatewayProcess gateway = jar.gateway();
            TestSocket session = open(jar);
            gateway.terminate();
            awaitReadiness(gateway, 503);
            assertThat(session.closed).isFalse();

            long second = System.nanoTime();
            gateway.terminate();
            session.awaitClosed();
            assertThat(session.closeCode).isEqualTo(1001);
            assertThat(session.closeReason).isEqualTo("gateway shutting down");
            assertThat(TimeUnit.NANOSECONDS.toMillis(session.closedAtNanos - second)).as("closed right after the second SIGTERM").isLessThan(5000);
            assertThat(gateway.awaitExit(20)).as(gateway.redactedOutput()).isZero();
        }
    }

    @Test
    void withoutSessionsSigtermExitsZeroAtOnce() {
        try (RelayJar jar = RelayJar.start(env -> env.with("GATEWAY_SHUTDOWN_DRAIN", "60s"))) {
            long sigterm = System.nanoTime();
            jar.gateway().terminate();
            assertThat(jar.gateway().awaitExit(20)).as(jar.gateway().redactedOutput()).isZero();
            assertThat(millisSince(sigterm)).as("nothing to drain").isLessThan(15_000);
        }
    }

    private static TestSocket open(RelayJar jar) {
        TestSocket socket = connect(jar.gateway(), jar.ticket());
        socket.awaitEvent("session.created");
        return socket;
    }

    private static TestSocket connect(GatewayProcess gateway, String ticket) {
        URI relay = URI.create(gateway.awaitListening() + RealtimeRelay.PATH);
        return TestSocket.connect(vertx, relay, "model=gpt-realtime", Map.of("Authorization", "Bearer " + ticket), List.of());
    }

    private static void awaitReadiness(GatewayProcess gateway, int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (readiness(gateway) != status) {
            assertThat(System.nanoTime()).as("readiness never answered %d", status).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static int readiness(GatewayProcess gateway) {
        try {
            return gateway.management("/q/health/ready").statusCode();
        } catch (IllegalStateException e) {
            int exit = gateway.awaitExit(15);
            throw new AssertionError("readiness did not answer during the drain (exit " + exit + "): " + e.getMessage() + "\n" + gateway.redactedOutput(), e);
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
