package io.realtimegateway.livekit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link FakeLiveKitServer} knowing {@link #API_KEY}/{@link #SECRET} and points the gateway at it with the
 * online check on. Init arg {@code secret} overrides the secret the gateway is configured with (to provoke a 401).
 */
public class FakeLiveKitResource implements QuarkusTestResourceLifecycleManager {

    public static final String API_KEY = "APIfakeKey";
    public static final String SECRET = "fake-livekit-secret-0123456789abcdefghij";

    /** The running server, for assertions on what it received. */
    static volatile FakeLiveKitServer server;

    private String gatewaySecret = SECRET;

    @Override
    public void init(Map<String, String> initArgs) {
        gatewaySecret = initArgs.getOrDefault("secret", SECRET);
    }

    @Override
    public Map<String, String> start() {
        try {
            server = new FakeLiveKitServer(Map.of(API_KEY, SECRET));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("gateway.livekit.url", server.wsUrl());
        config.put("gateway.livekit.api-key", API_KEY);
        config.put("gateway.livekit.api-secret", gatewaySecret);
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
