package io.realtimegateway.console;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.realtimegateway.testing.LiveKitTestConfig;

/** The test LiveKit key pair (its server unreachable), a fast feed sample and chart interval, and no admin key (the console is open in test, as in dev). */
public class ConsoleProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        // LIVEKIT_URL on port 1, where nothing listens: the try-it panel must say so.
        return LiveKitTestConfig.valid("gateway.livekit.url", "ws://127.0.0.1:1", "gateway.console.sample-interval", "200ms",
                "gateway.console.chart-interval", "1s");
    }
}
