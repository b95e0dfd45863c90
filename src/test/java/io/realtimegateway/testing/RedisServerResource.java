package io.realtimegateway.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real redis-server for a Quarkus test, and the gateway in redis mode pointed at it ({@code quarkus.redis.hosts},
 * {@code gateway.state=redis}, online checks on so that {@code state.redis} runs). The server has no password:
 * Quarkus turns these overrides into system properties, which failsafe writes into its reports (password cases
 * are tested with {@link RedisServer} directly). A field annotated {@link InjectRedis} gets the server.
 */
public class RedisServerResource implements QuarkusTestResourceLifecycleManager {

    private RedisServer server;

    @Override
    public Map<String, String> start() {
        server = RedisServer.start(null);
        return Map.of(
                "quarkus.redis.hosts", server.url(),
                "gateway.state", "redis",
                "gateway.preflight.online", "true",
                "gateway.preflight.attempts", "1");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectRedis.class, RedisServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Marks the {@link RedisServer} field the resource fills in. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectRedis {
    }
}
