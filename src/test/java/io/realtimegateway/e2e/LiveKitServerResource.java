package io.realtimegateway.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a real livekit-server (v1.13.5, via scripts/) for a Quarkus test and points the gateway at it.
 * The config overrides are its URL, its own livekit.yaml as the key source (LIVEKIT_CONFIG_FILE), online
 * preflight on, the relay off (no OpenAI here) and anonymous callers. No secret is among them on purpose:
 * Quarkus turns the overrides into system properties of the test JVM, and failsafe writes those into its
 * XML reports. (Tests that need a key pair or caller keys in the env launch the gateway themselves, see
 * {@link GatewayProcess}.) The test gets the server through a field annotated {@link InjectLiveKit}.
 */
public class LiveKitServerResource implements QuarkusTestResourceLifecycleManager {

    private LiveKitServer server;

    @Override
    public Map<String, String> start() {
        server = LiveKitServer.start(LiveKitServer.generatedKeys(1));
        Map<String, String> config = new LinkedHashMap<>();
        config.put("gateway.livekit.url", server.wsUrl());
        config.put("gateway.livekit.config-file", server.configFile().toString());
        config.put("gateway.preflight.online", "true");
        config.put("gateway.realtime.enabled", "false");
        config.put("gateway.auth.mode", "none");
        config.put("gateway.auth.allow-anonymous", "true");
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(new Context(server),
                new TestInjector.AnnotatedAndMatchesType(InjectLiveKit.class, Context.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** What a test needs: the server, and through it its keys and API. */
    record Context(LiveKitServer server) {
    }

    /** Marks the {@link Context} field the resource fills in. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface InjectLiveKit {
    }
}
