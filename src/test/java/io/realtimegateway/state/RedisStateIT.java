package io.realtimegateway.state;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.RedisServer;
import io.realtimegateway.testing.RedisServerResource.InjectRedis;
import io.realtimegateway.testing.RedisServerResource;
import io.realtimegateway.ticket.Ticket;
import io.realtimegateway.ticket.TicketRejectedException;
import io.realtimegateway.ticket.TicketService;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * The gateway with {@code GATEWAY_STATE=redis} against a real redis-server: tickets are claimed in Redis (one
 * winner among 200 concurrent redemptions), the relay admits a ticket once, and with Redis down it refuses upgrades
 * with 503 problem+json before any upstream connection, recovering when Redis returns. {@code state.redis} passes.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class)
@WithTestResource(RedisServerResource.class)
class RedisStateIT {

    @InjectRedis
    RedisServer redis;

    @Inject
    StateStore store;

    @Inject
    RedisStateCheck check;

    @Inject
    TicketService tickets;

    @Inject
    Vertx vertx;

    @TestHTTPResource("/v1/realtime")
    URI relay;

    final FakeOpenAiUpstream.Control fake = FakeOpenAiUpstream.control();

    private static String ticket() {
        return given().contentType("application/json").body("{}").post("/api/realtime/client-secret")
                .then().statusCode(200).extract().jsonPath().getString("value");
    }

    @Test
    void theStoreIsRedisAndStateRedisPasses() {
        assertThat(store.kind()).isEqualTo("redis");
        List<CheckResult> results = check.run();
        assertThat(results).hasSize(1);
        assertThat(results.get(0).status()).as(results.get(0).message()).isEqualTo(CheckStatus.OK);
        assertThat(results.get(0).message()).isEqualTo("Redis at " + redis.url() + " answers PING and a write/read round trip");
    }

    @Test
    void twoHundredConcurrentRedemptionsOfOneTicketHaveExactlyOneWinner() throws Exception {
        String ticket = ticket();
        List<Object> outcomes = StateStoreContract.concurrently(200, () -> {
            try {
                Ticket redeemed = tickets.redeem(ticket).await().atMost(Duration.ofSeconds(30));
                return (Object) redeemed;
            } catch (RuntimeException e) {
                return e.getCause() instanceof TicketRejectedException rejected ? rejected.reason() : e;
            }
        });
        assertThat(outcomes).filteredOn(Ticket.class::isInstance).hasSize(1);
        assertThat(outcomes).filteredOn(TicketRejectedException.Reason.REPLAYED::equals).hasSize(199);
    }

    @Test
    void aTicketOpensOneSessionAndItsReplayIsRefused() throws Exception {
        String ticket = ticket();
        WebSocket first = connect(ticket);
        try {
            assertThatThrownBy(() -> connect(ticket)).isInstanceOf(UpgradeRejectedException.class)
                    .satisfies(t -> assertThat(((UpgradeRejectedException) t).getStatus()).isEqualTo(401));
        } finally {
            first.close();
        }
    }

    @Test
    void withRedisDownUpgradesAreRefusedWith503AndNoUpstreamUntilItReturns() throws Exception {
        String ticket = ticket();
        int upgradesBefore = fake.upgrades();
        redis.stop();
        try {
            given().header("Connection", "Upgrade").header("Upgrade", "websocket").header("Sec-WebSocket-Version", "13")
                    .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").header("Authorization", "Bearer " + ticket)
                    .when().get("/v1/realtime?model=gpt-realtime")
                    .then().statusCode(503)
                    .contentType("application/problem+json")
                    .body("status", equalTo(503))
                    .body("title", equalTo("Realtime relay unavailable"))
                    .body("detail", containsString("state store unavailable"));
            assertThat(fake.upgrades()).isEqualTo(upgradesBefore);
        } finally {
            redis.start();
        }
        // The refused ticket was never claimed, so once Redis answers it opens its one session.
        WebSocket socket = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> connect(ticket), ws -> ws != null);
        socket.close();
    }

    private WebSocket connect(String ticket) throws Exception {
        WebSocketClient client = vertx.createWebSocketClient();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setAbsoluteURI(relay.toString().replaceFirst("^http", "ws") + "?model=gpt-realtime")
                .addHeader("Authorization", "Bearer " + ticket).addSubProtocol("realtime");
        try {
            return client.connect(options).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
