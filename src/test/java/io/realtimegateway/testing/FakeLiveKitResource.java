package io.realtimegateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link FakeLiveKitServer} knowing the shared test key pair ({@link LiveKitTestConfig}) and points the
 * gateway at it with the online check on. Init arg {@code secret} overrides the secret the gateway is configured
 * with (to provoke a 401).
 */
public class FakeLiveKitResource implements QuarkusTestResourceLifecycleManager {

    private static volatile FakeLiveKitServer server;

    /** The running server, for assertions on what it received. */
    public static FakeLiveKitServer server() {
        return server;
    }

    private String gatewaySecret = LiveKitTestConfig.SECRET;

    @Override
    public void init(Map<String, String> initArgs) {
        gatewaySecret = initArgs.getOrDefault("secret", LiveKitTestConfig.SECRET);
    }

    @Override
    public Map<String, String> start() {
        try {
            server = new FakeLiveKitServer(Map.of(LiveKitTestConfig.API_KEY, LiveKitTestConfig.SECRET));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = LiveKitTestConfig.valid(
                "gateway.livekit.url", server.wsUrl(), "gateway.livekit.api-secret", gatewaySecret);
        config.put("gateway.preflight.online", "true");
        config.put("gateway.preflight.attempts", "2");
        config.put("gateway.preflight.retry-delay", "100ms");
        config.put("gateway.preflight.timeout", "30s"); // shared, loaded machine; not a timing assertion
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
