package io.realtimegateway.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.preflight.OnlineProbe;
import io.realtimegateway.preflight.PreflightConfig;
import io.realtimegateway.testing.RedisServer;
import io.realtimegateway.testing.Secrets;

/**
 * {@code state.redis} against a real redis-server with a password: reachable, wrong password, no password,
 * nothing listening, and TLS spoken to a plain port, each named with its fix and never showing the password.
 */
class RedisStateCheckIT {

    private static final String PASSWORD = Secrets.random(32);
    private static RedisServer server;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start(PASSWORD);
    }

    @AfterAll
    static void stopRedis() {
        if (server != null) {
            server.close();
        }
    }

    private static CheckResult probe(String connectionString, boolean unreachableFails) {
        try (RedisTestClient client = new RedisTestClient(connectionString)) {
            RedisStateCheck.Commands commands = client.dataSource::execute;
            CheckResult result = new RedisStateCheck.Probe(commands, RedisStateCheck.redacted(connectionString), "rg-test:", Duration.ofSeconds(3),
                    new OnlineProbe(2, Duration.ofMillis(100), unreachableFails ? PreflightConfig.Unreachable.FAIL : PreflightConfig.Unreachable.WARN)).run();
            assertThat(result.name()).isEqualTo("state.redis");
            assertThat(result.message() + " " + result.fix()).doesNotContain(PASSWORD);
            return result;
        }
    }

    @Test
    void reachableWithTheRightPasswordIsOk() {
        CheckResult result = probe(server.urlWithPassword(), true);
        assertThat(result.status()).as(result.message()).isEqualTo(CheckStatus.OK);
        assertThat(result.message()).isEqualTo("Redis at redis://***@127.0.0.1:" + server.port() + " answers PING and a write/read round trip");
    }

    @Test
    void aWrongPasswordIsNamed() {
        CheckResult result = probe("redis://:" + Secrets.random(20) + "@127.0.0.1:" + server.port(), true);
        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).startsWith("Redis refused the credentials (WRONGPASS");
        assertThat(result.fix()).contains("QUARKUS_REDIS_HOSTS", "QUARKUS_REDIS_PASSWORD");
    }

    @Test
    void aMissingPasswordIsNamed() {
        CheckResult result = probe(server.url(), true);
        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).startsWith("Redis requires a password and none was given (NOAUTH)");
        assertThat(result.fix()).contains("redis://:PASSWORD@host:6379");
    }

    @Test
    void nothingListeningIsNamedUnreachableAndFollowsTheUnreachablePolicy() {
        String nowhere = "redis://127.0.0.1:" + RedisServer.freePort();
        CheckResult fails = probe(nowhere, true);
        assertThat(fails.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(fails.message()).startsWith("Redis unreachable at " + nowhere + " (connection refused after 2 attempt(s))");
        assertThat(fails.fix()).contains("QUARKUS_REDIS_HOSTS", "redis-server is running");

        CheckResult warns = probe(nowhere, false);
        assertThat(warns.status()).isEqualTo(CheckStatus.WARN);
        assertThat(warns.message()).contains("sessions and tickets are refused with 503 until Redis answers");
    }

    @Test
    void tlsToAPlainPortIsNamed() {
        CheckResult result = probe("rediss://:" + PASSWORD + "@127.0.0.1:" + server.port(), true);
        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).as(result.message()).startsWith("TLS handshake with Redis failed");
        assertThat(result.fix()).contains("rediss://", "tls-port");
    }

    @Test
    void passwordsAreRedactedFromHosts() {
        assertThat(RedisStateCheck.redacted("redis://:s3cret@redis:6379/0,rediss://user:pw@other:6380"))
                .isEqualTo("redis://***@redis:6379/0,rediss://***@other:6380");
        assertThat(RedisStateCheck.redacted("redis://redis:6379")).isEqualTo("redis://redis:6379");
    }
}
