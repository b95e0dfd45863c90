package io.realtimegateway.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a real livekit-server (v1.13.5, via scripts/) for a Quarkus test and points the gateway at it:
 * the config overrides are its URL, its first key pair, online preflight on, the relay off (no OpenAI here)
 * and api-key caller auth with a generated caller key. The test gets the server and the caller key through
 * a field annotated {@link InjectLiveKit}.
 */
public class LiveKitServerResource implements QuarkusTestResourceLifecycleManager {

    private LiveKitServer server;
    private String callerKey;

    @Override
    public Map<String, String> start() {
        server = LiveKitServer.start(LiveKitServer.generatedKeys(1));
        callerKey = E2e.randomAlnum(40);
        String key = server.firstKey();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("gateway.livekit.url", server.wsUrl());
        config.put("gateway.livekit.api-key", key);
        config.put("gateway.livekit.api-secret", server.secretOf(key));
        config.put("gateway.preflight.online", "true");
        config.put("gateway.realtime.enabled", "false");
        config.put("gateway.auth.mode", "api-key");
        config.put("gateway.auth.api-keys", callerKey);
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(new Context(server, callerKey),
                new TestInjector.AnnotatedAndMatchesType(InjectLiveKit.class, Context.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** What a test needs: the server (and through it its keys) and the caller key for the gateway's endpoints. */
    record Context(LiveKitServer server, String callerKey) {
    }

    /** Marks the {@link Context} field the resource fills in. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface InjectLiveKit {
    }
}
