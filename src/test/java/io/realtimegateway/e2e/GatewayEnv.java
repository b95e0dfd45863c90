package io.realtimegateway.e2e;

import java.util.LinkedHashMap;
import java.util.Map;

/** The env an operator gives the gateway next to a LiveKit server, minus the LiveKit keys (each test picks its source). */
final class GatewayEnv {

    private GatewayEnv() {
    }

    /** LIVEKIT_URL, api-key caller auth, relay off (no OpenAI in this tier), prod defaults for everything else. */
    static Map<String, String> base(String livekitUrl, String callerKey) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LIVEKIT_URL", livekitUrl);
        env.put("GATEWAY_REALTIME_ENABLED", "false");
        env.put("GATEWAY_AUTH_MODE", "api-key");
        env.put("GATEWAY_AUTH_API_KEYS", callerKey);
        return env;
    }

    static Map<String, String> with(Map<String, String> env, String... pairs) {
        Map<String, String> copy = new LinkedHashMap<>(env);
        for (int i = 0; i < pairs.length; i += 2) {
            copy.put(pairs[i], pairs[i + 1]);
        }
        return copy;
    }
}
