package io.realtimegateway.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.realtimegateway.testing.GatewayProcess;
import io.realtimegateway.testing.ProdEnv;
import io.realtimegateway.testing.RedisServer;

/**
 * The packaged gateway in redis mode with the network checks off ({@code GATEWAY_PREFLIGHT_ONLINE=false}, as
 * {@link ProdEnv#valid()} has it): {@code state.redis} runs anyway, so readiness goes DOWN when a real redis-server
 * stops mid-test and UP again when it returns.
 */
class RedisReadinessIT {

    private static final Duration OUTAGE_SEEN = Duration.ofSeconds(60);

    @Test
    void readinessFollowsRedisEvenWithTheOnlineChecksOff() {
        try (RedisServer redis = RedisServer.start(null)) {
            ProdEnv env = ProdEnv.valid().with("GATEWAY_STATE", "redis").with("QUARKUS_REDIS_HOSTS", redis.url())
                    .with("GATEWAY_PREFLIGHT_REFRESH", "1s").with("GATEWAY_PREFLIGHT_ATTEMPTS", "1");
            assertThat(env.get("GATEWAY_PREFLIGHT_ONLINE")).isEqualTo("false");
            try (GatewayProcess gateway = GatewayProcess.start(env)) {
                HttpResponse<String> ready = gateway.management("/q/health/ready");
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                assertThat(ready.body()).containsPattern("\"state.redis\"\\s*:\\s*\"OK\"");

                redis.stop();
                HttpResponse<String> down = await().atMost(OUTAGE_SEEN).pollInterval(Duration.ofMillis(250))
                        .until(() -> gateway.management("/q/health/ready"), r -> r.statusCode() == 503);
                assertThat(down.body()).contains("state store unavailable: state.redis").contains("Redis unreachable at " + redis.url());

                redis.start();
                HttpResponse<String> back = await().atMost(OUTAGE_SEEN).pollInterval(Duration.ofMillis(250))
                        .until(() -> gateway.management("/q/health/ready"), r -> r.statusCode() == 200);
                assertThat(back.body()).containsPattern("\"state.redis\"\\s*:\\s*\"OK\"");
            }
        }
    }
}
