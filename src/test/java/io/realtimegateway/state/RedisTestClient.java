package io.realtimegateway.state;

import java.time.Duration;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;

/** A Quarkus Redis data source outside CDI, on its own Vert.x, for tests that drive the store and check directly. */
final class RedisTestClient implements AutoCloseable {

    final Vertx vertx = Vertx.vertx();
    final Redis redis;
    final ReactiveRedisDataSource dataSource;

    RedisTestClient(String connectionString) {
        // Hostname verification as Quarkus configures it for rediss:// (Vert.x refuses TLS without an algorithm).
        RedisOptions options = new RedisOptions().setConnectionString(connectionString).setMaxPoolSize(16).setMaxPoolWaiting(2048)
                .setNetClientOptions(new NetClientOptions().setHostnameVerificationAlgorithm("HTTPS"));
        redis = Redis.createClient(vertx, options);
        dataSource = new ReactiveRedisDataSourceImpl(vertx, redis, RedisAPI.api(redis));
    }

    @Override
    public void close() {
        redis.close();
        vertx.closeAndAwait();
    }

    /** The gateway's state settings with the given lease TTL and operation timeout. */
    static StateConfig config(Duration leaseTtl, Duration timeout) {
        return new StateConfig() {
            @Override
            public Kind kind() {
                return Kind.REDIS;
            }

            @Override
            public Duration leaseTtl() {
                return leaseTtl;
            }

            @Override
            public Duration timeout() {
                return timeout;
            }

            @Override
            public String keyPrefix() {
                return "rg-test:";
            }

            @Override
            public Duration usageRetention() {
                return Duration.ofDays(32);
            }
        };
    }
}
