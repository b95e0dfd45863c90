package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.GatewayProcess;
import io.realtimegateway.testing.ProdEnv;
import io.realtimegateway.testing.RedisServer;
import io.realtimegateway.testing.Secrets;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;

/**
 * Two packaged gateways (A and B) in prod with {@code GATEWAY_STATE=redis}, sharing one real redis-server, one
 * ticket secret and one fake upstream: single-use tickets, the per-identity cap, rate limits and budgets hold across
 * both; a replica killed with -9 frees its session's slot after the lease TTL and not before; with Redis stopped new
 * upgrades are refused with 503 while live sessions go on, and both replicas admit again once it returns. Each case
 * authenticates with its own caller key, so each is its own identity.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoReplicasIT {

    static final Duration LEASE_TTL = Duration.ofSeconds(3);
    static final int TOKENS_PER_MINUTE = 3;
    static final int BUDGET = 30; // the fake's response.done reports 30 total tokens

    static final List<String> CALLERS = List.of(key(), key(), key(), key(), key(), key(), key(), key(), key(), key());
    static final String TICKETS = CALLERS.get(0);
    static final String CAPPED = CALLERS.get(1);
    static final String LIMITED = CALLERS.get(2);
    static final String SPENDER = CALLERS.get(3);
    static final String LIVE_ON_A = CALLERS.get(4);
    static final String LIVE_ON_B = CALLERS.get(5);
    static final String WAITS_ON_A = CALLERS.get(6);
    static final String WAITS_ON_B = CALLERS.get(7);
    static final String KILLED = CALLERS.get(8);
    static final String BACKEND = CALLERS.get(9);
    static final String ADMIN = key();

    static RedisServer redis;
    static FakeOpenAiUpstream.Standalone fake;
    static ProdEnv env;
    static GatewayProcess a;
    static GatewayProcess b;
    static Vertx vertx;

    private static String key() {
        return Secrets.random(40);
    }

    @BeforeAll
    static void start() {
        redis = RedisServer.start(null);
        fake = FakeOpenAiUpstream.standalone();
        env = ProdEnv.valid()
                .with("OPENAI_API_KEY", FakeOpenAiUpstream.API_KEY)
                .with("OPENAI_BASE_URL", fake.baseUrl())
                .with("GATEWAY_AUTH_API_KEYS", String.join(",", CALLERS))
                .with("GATEWAY_ADMIN_API_KEYS", ADMIN)
                .with("GATEWAY_STATE", "redis")
                .with("QUARKUS_REDIS_HOSTS", redis.url())
                .with("GATEWAY_STATE_LEASE_TTL", LEASE_TTL.toSeconds() + "s")
                .with("GATEWAY_STATE_TIMEOUT", "1s")
                .with("GATEWAY_REALTIME_MAX_SESSIONS_PER_IDENTITY", "1")
                .with("GATEWAY_RATE_LIMIT_TOKENS_PER_MINUTE", Integer.toString(TOKENS_PER_MINUTE))
                .with("GATEWAY_REALTIME_BUDGET_TOKENS_PER_DAY", Integer.toString(BUDGET));
        a = GatewayProcess.start(env);
        b = GatewayProcess.start(env);
        a.awaitListening();
        b.awaitListening();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable resource : new AutoCloseable[] {a, b, fake, redis}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
        if (a != null && b != null) {
            String output = a.output() + b.output();
            for (String secret : env.secrets()) {
                assertThat(output).as("no secret in either replica's output").doesNotContain(secret);
            }
        }
    }

    private static String ticket(GatewayProcess gateway, String caller) {
        HttpResponse<String> response = gateway.postJson("/api/realtime/client-secret", "{}", caller);
        assertThat(response.statusCode()).as("ticket: %s", response.body()).isEqualTo(200);
        return new JsonObject(response.body()).getString("value");
    }

    private static TestSocket open(GatewayProcess gateway, String ticket) {
        URI relay = URI.create(gateway.awaitListening().replaceFirst("^http", "ws") + RealtimeRelay.PATH);
        return TestSocket.connect(vertx, relay, "model=gpt-realtime", Map.of("Authorization", "Bearer " + ticket), List.of());
    }

    private static int refusedStatus(GatewayProcess gateway, String ticket) {
        try {
            TestSocket socket = open(gateway, ticket);
            socket.close();
            return 101;
        } catch (UpgradeRejectedException e) {
            return e.getStatus();
        }
    }

    private static String identity(String caller) {
        return "api-key:" + Fingerprint.sha256Prefix(caller);
    }

    /** Closes the session and waits until its replica has logged its end (the lease release is sent right before). */
    private static void closeAndAwaitRelease(TestSocket socket, GatewayProcess gateway, String caller) throws InterruptedException {
        socket.close();
        socket.awaitClosed();
        await().atMost(TestSocket.WAIT).until(() -> gateway.stdout().contains("Realtime session ended: identity=" + identity(caller)));
        Thread.sleep(200);
    }

    @Test
    @Order(1)
    void aTicketMintedOnAIsRedeemedOnBOnceAndRefusedOnEitherAfterwards() throws Exception {
        String ticket = ticket(a, TICKETS);
        TestSocket socket = open(b, ticket);
        socket.awaitEvent("session.created");
        assertThat(refusedStatus(a, ticket)).isEqualTo(401);
        assertThat(refusedStatus(b, ticket)).isEqualTo(401);
        closeAndAwaitRelease(socket, b, TICKETS);
    }

    @Test
    @Order(2)
    void thePerIdentityCapOfOneHoldsAcrossAAndB() throws Exception {
        TestSocket onA = open(a, ticket(a, CAPPED));
        onA.awaitEvent("session.created");
        TestSocket onB = open(b, ticket(b, CAPPED));
        assertThat(onB.awaitEvent("error").getJsonObject("error").getString("code")).isEqualTo("session_limit_reached");
        onB.awaitClosed();
        assertThat(onB.closeCode).isEqualTo(1013);
        assertThat(onB.closeReason).startsWith("max_sessions_per_identity:");
        closeAndAwaitRelease(onA, a, CAPPED);
        TestSocket again = await().atMost(TestSocket.WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            TestSocket candidate = open(b, ticket(b, CAPPED));
            JsonObject first = candidate.events.poll(10, TimeUnit.SECONDS);
            return first != null && "session.created".equals(first.getString("type")) ? candidate : null;
        }, socket -> socket != null);
        again.close();
        again.awaitClosed();
    }

    @Test
    @Order(3)
    void aRateLimitHoldsAcrossBoth() {
        for (int i = 0; i < TOKENS_PER_MINUTE; i++) {
            assertThat((i % 2 == 0 ? a : b).postJson("/api/livekit/token", "{}", LIMITED).statusCode()).isEqualTo(201);
        }
        HttpResponse<String> onB = b.postJson("/api/livekit/token", "{}", LIMITED);
        HttpResponse<String> onA = a.get("/api/livekit-token", LIMITED);
        for (HttpResponse<String> refused : List.of(onA, onB)) {
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        }
        assertThat(a.postJson("/api/livekit/token", "{}", TICKETS).statusCode()).as("another caller").isEqualTo(201);
    }

    @Test
    @Order(4)
    void aBudgetSpentThroughABlocksResponseCreateOnB() throws Exception {
        String ticketOfB = ticket(b, SPENDER); // issued while the budget is unspent
        TestSocket onA = open(a, ticket(a, SPENDER));
        onA.awaitEvent("session.created");
        onA.send(new JsonObject().put("type", "response.create"));
        assertThat(onA.awaitEvent("response.done").getJsonObject("response").getJsonObject("usage").getInteger("total_tokens")).isEqualTo(BUDGET);
        closeAndAwaitRelease(onA, a, SPENDER);
        assertThat(a.stdout()).contains("usage=input_tokens:10,output_tokens:20,total_tokens:30,responses:1");

        TestSocket onB = open(b, ticketOfB);
        onB.awaitEvent("session.created");
        onB.send(new JsonObject().put("type", "response.create"));
        JsonObject error = onB.awaitEvent("error").getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("budget_exceeded");
        onB.send(new JsonObject().put("type", "fake.echo").put("still", "open"));
        assertThat(onB.awaitEvent("fake.echo").getString("still")).isEqualTo("open");

        HttpResponse<String> refused = b.postJson("/api/realtime/client-secret", "{}", SPENDER);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("budget-exceeded").contains("resets at");
        HttpResponse<String> usage = b.get("/api/realtime/usage?identity=" + identity(SPENDER), ADMIN);
        assertThat(usage.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(usage.body()).getJsonObject("usage").getInteger("total_tokens")).isEqualTo(BUDGET);
        onB.close();
        onB.awaitClosed();
    }

    @Test
    @Order(6)
    void withRedisStoppedUpgradesAre503AndLiveSessionsGoOnAndBothRecover() throws Exception {
        TestSocket liveA = open(a, ticket(a, LIVE_ON_A));
        TestSocket liveB = open(b, ticket(b, LIVE_ON_B));
        liveA.awaitEvent("session.created");
        liveB.awaitEvent("session.created");
        String waitingA = ticket(a, WAITS_ON_A);
        String waitingB = ticket(b, WAITS_ON_B);
        int upgrades = fake.control().upgrades();

        redis.stop();
        try {
            assertThat(refusedStatus(a, waitingA)).isEqualTo(503);
            assertThat(refusedStatus(b, waitingB)).isEqualTo(503);
            assertThat(fake.control().upgrades()).as("no upstream connection for a refused upgrade").isEqualTo(upgrades);
            Thread.sleep(LEASE_TTL.toMillis() + 500); // renewals fail meanwhile: the sessions must not care
            echo(liveA, "during");
            echo(liveB, "during");
        } finally {
            redis.start(); // empty: the leases of the live sessions are gone and are taken again on their next renewal
        }
        for (var waiting : List.of(Map.entry(a, waitingA), Map.entry(b, waitingB))) {
            // The refused tickets were never claimed, so each opens its session once Redis answers.
            TestSocket socket = await().atMost(TestSocket.WAIT).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> open(waiting.getKey(), waiting.getValue()), s -> s != null);
            socket.awaitEvent("session.created");
            socket.close();
        }
        Thread.sleep(LEASE_TTL.toMillis());
        echo(liveA, "after");
        echo(liveB, "after");
        assertThat(liveA.closed || liveB.closed).isFalse();
        liveA.close();
        liveB.close();
    }

    /** A backend's socket: no {@code Origin} (a reusable ticket is refused with one). */
    private static TestSocket openAsBackend(GatewayProcess gateway, String ticket) {
        URI relay = URI.create(gateway.awaitListening().replaceFirst("^http", "ws") + RealtimeRelay.PATH);
        return TestSocket.connect(vertx, relay, "model=gpt-realtime", Map.of("Authorization", "Bearer " + ticket), List.of(), false);
    }

    private static int refusedStatusAsBackend(GatewayProcess gateway, String ticket) {
        try {
            TestSocket socket = openAsBackend(gateway, ticket);
            socket.close();
            return 101;
        } catch (UpgradeRejectedException e) {
            return e.getStatus();
        }
    }

    /**
     * A reusable ticket minted on A: its session moves to B (the reconnect takes the conversation's one slot, under a
     * per-identity cap of one), A's session learns at its next renewal that it was replaced, and a revocation sent to A
     * ends the session on B and is refused by both.
     */
    @Test
    @Order(5)
    void aReusableTicketsSessionMovesBetweenReplicasAndARevocationReachesBoth() {
        HttpResponse<String> minted = a.postJson("/api/realtime/client-secret", "{\"identity\":\"room-1\",\"reusable\":true}", BACKEND);
        assertThat(minted.statusCode()).as("ticket: %s", minted.body()).isEqualTo(200);
        String ticket = new JsonObject(minted.body()).getString("value");
        String id = new JsonObject(minted.body()).getString("id");
        TestSocket onA = openAsBackend(a, ticket);
        onA.awaitEvent("session.created");
        TestSocket onB = openAsBackend(b, ticket);
        onB.awaitEvent("session.created");
        onA.awaitClosed();
        assertThat(onA.closeCode).isEqualTo(1008);
        assertThat(onA.closeReason).isEqualTo("replaced by a new connection");

        assertThat(a.delete("/api/realtime/tickets/" + id, ADMIN).statusCode()).isEqualTo(204);
        onB.awaitClosed();
        assertThat(onB.closeCode).isEqualTo(1008);
        assertThat(onB.closeReason).isEqualTo("ticket revoked");
        assertThat(refusedStatusAsBackend(a, ticket)).isEqualTo(401);
        assertThat(refusedStatusAsBackend(b, ticket)).isEqualTo(401);
        assertThat(a.stdout() + b.stdout()).as("the ticket is never logged").doesNotContain(ticket).contains("id=" + id);
    }

    private static void echo(TestSocket socket, String marker) {
        socket.send(new JsonObject().put("type", "fake.echo").put("marker", marker));
        assertThat(socket.awaitEvent("fake.echo").getString("marker")).isEqualTo(marker);
    }

    @Test
    @Order(7)
    void aReplicaKilledWithMinus9FreesItsSlotAfterTheLeaseTtlAndNotBefore() {
        TestSocket onA = open(a, ticket(a, KILLED));
        onA.awaitEvent("session.created");
        a.kill();
        long killed = System.nanoTime();

        TestSocket tooEarly = open(b, ticket(b, KILLED));
        assertThat(tooEarly.awaitEvent("error").getJsonObject("error").getString("code")).as("the dead replica's lease still holds")
                .isEqualTo("session_limit_reached");
        tooEarly.awaitClosed();

        TestSocket freed = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            TestSocket candidate = open(b, ticket(b, KILLED));
            JsonObject first = candidate.events.poll(10, TimeUnit.SECONDS);
            return first != null && "session.created".equals(first.getString("type")) ? candidate : null;
        }, socket -> socket != null);
        Duration waited = Duration.ofNanos(System.nanoTime() - killed);
        // Renewed at most TTL/3 before the kill, so the lease outlives it by at least 2/3 of the TTL.
        assertThat(waited).as("freed only once the lease expired").isGreaterThanOrEqualTo(LEASE_TTL.multipliedBy(2).dividedBy(3).minusMillis(200));
        freed.close();
    }
}
