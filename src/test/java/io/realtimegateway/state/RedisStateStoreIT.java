package io.realtimegateway.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDate;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.realtimegateway.testing.RedisServer;
import io.vertx.mutiny.redis.client.Response;

/**
 * {@code GATEWAY_STATE=redis} against a real redis-server: the shared contract (each operation atomic, 200
 * concurrent claims with one winner), plus what only Redis does: keys that expire by themselves, scripts that
 * survive a {@code SCRIPT FLUSH}, and a Redis that goes away and comes back.
 */
class RedisStateStoreIT extends StateStoreContract {

    private static RedisServer server;
    private static RedisTestClient client;
    private static RedisStateStore store;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start(null);
        client = new RedisTestClient(server.url());
        store = new RedisStateStore(() -> client.dataSource, RedisTestClient.config(LEASE_TTL, Duration.ofSeconds(5)));
    }

    @AfterAll
    static void stopRedis() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    StateStore store() {
        return store;
    }

    private static Response redis(String command, String... args) {
        return client.dataSource.execute(command, args).await().atMost(WAIT);
    }

    @Test
    void everyKeyTheStoreWritesExpires() {
        String alice = unique("alice");
        get(store.claimOnce("ttl-check", Duration.ofSeconds(90)));
        get(store.acquireLease(lease(alice), new LeaseCaps(5, 100)));
        get(store.hit("tickets", alice, new RateLimit(5, Duration.ofSeconds(60))));
        get(store.addUsage(alice, LocalDate.of(2026, 1, 2), Usage.builder().add(UsageField.TOTAL_TOKENS, 1).build()));
        get(store.takeTicket(new TicketHolder("ttl-ticket", "s1"), System.currentTimeMillis(), Duration.ofMinutes(15)));
        get(store.revokeTicket("ttl-revoked", Duration.ofHours(12)));
        Response keys = redis("KEYS", "rg-test:*");
        assertThat(keys.size()).isGreaterThanOrEqualTo(7);
        for (Response key : keys) {
            long pttl = redis("PTTL", key.toString()).toLong();
            assertThat(pttl).as("PTTL of %s (-1: no expiry; -2: already expired, fine)", key).isNotEqualTo(-1L);
        }
        assertThat(redis("PTTL", "rg-test:claim:ttl-check").toLong()).isBetween(60_000L, 90_000L);
        assertThat(redis("PTTL", "rg-test:ticket:{ttl-ticket}:slot").toLong()).as("a slot lives its idle period").isBetween(60_000L, 900_000L);
        assertThat(redis("PTTL", "rg-test:ticket:{ttl-revoked}:revoked").toLong()).isGreaterThan(Duration.ofHours(11).toMillis());
        assertThat(redis("PTTL", "rg-test:usage:2026-01-02:" + alice).toLong()).isGreaterThan(Duration.ofDays(31).toMillis());
        assertThat(redis("HGET", "rg-test:usage:2026-01-02:" + alice, "total_tokens").toLong()).isEqualTo(1);
    }

    @Test
    void scriptsAreLoadedAgainAfterAFlush() {
        redis("SCRIPT", "FLUSH");
        assertThat(get(store.hit("flush", unique("caller"), new RateLimit(1, Duration.ofSeconds(5)))).allowed()).isTrue();
        assertThat(redis("SCRIPT", "EXISTS", RedisStateStore.HIT.sha1()).get(0).toInteger()).isEqualTo(1);
    }

    @Test
    void aRedisOutageFailsEveryOperationAsUnavailableAndItRecovers() {
        RedisStateStore quick = new RedisStateStore(() -> client.dataSource, RedisTestClient.config(LEASE_TTL, Duration.ofSeconds(2)));
        String id = unique("ticket");
        server.stop();
        try {
            assertThatThrownBy(() -> get(quick.claimOnce(id, Duration.ofSeconds(30))))
                    .isInstanceOf(StateUnavailableException.class)
                    .hasMessageStartingWith("state store unavailable during claim: Redis");
            assertThatThrownBy(() -> get(quick.acquireLease(lease("alice"), new LeaseCaps(1, 1)))).isInstanceOf(StateUnavailableException.class);
            assertThatThrownBy(() -> get(quick.hit("b", "c", new RateLimit(1, Duration.ofSeconds(1))))).isInstanceOf(StateUnavailableException.class);
            assertThatThrownBy(() -> get(quick.usage("alice", LocalDate.now()))).isInstanceOf(StateUnavailableException.class);
        } finally {
            server.start();
        }
        Awaitility.await().atMost(WAIT).ignoreExceptions()
                .until(() -> get(quick.claimOnce(id, Duration.ofSeconds(30))) == Claim.CLAIMED);
        assertThat(get(quick.claimOnce(id, Duration.ofSeconds(30)))).isEqualTo(Claim.ALREADY_CLAIMED);
    }
}
