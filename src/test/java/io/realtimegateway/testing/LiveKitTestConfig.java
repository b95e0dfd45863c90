package io.realtimegateway.testing;

import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The one LiveKit configuration of the {@code @QuarkusTest} profiles: a valid key pair checked offline, the other key
 * sources cleared (so a LIVEKIT_KEYS or LIVEKIT_CONFIG_FILE in the developer's shell cannot leak in). Tests that
 * verify token signatures use {@link #SECRET}; the secrets are {@link Secrets#shared} values, because a profile is
 * instantiated by a different class loader than the test that reads them.
 */
public final class LiveKitTestConfig {

    public static final String URL = "ws://127.0.0.1:7880";
    public static final String API_KEY = "APIquarkusTest";
    public static final String SECRET = Secrets.shared("livekit-api-secret");
    /** An OpenAI key every offline lint accepts (never sent anywhere: the network checks are off in the test profile). */
    public static final String OPENAI_KEY = "sk-proj-" + Secrets.shared("openai-api-key");

    private LiveKitTestConfig() {
    }

    /** The valid LiveKit configuration plus {@code overrides} (name, value pairs), as a map a profile may add to. */
    public static Map<String, String> valid(String... overrides) {
        if (overrides.length % 2 != 0) {
            throw new IllegalArgumentException("overrides are name, value pairs");
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("gateway.livekit.url", URL);
        config.put("gateway.livekit.api-key", API_KEY);
        config.put("gateway.livekit.api-secret", SECRET);
        config.put("gateway.livekit.keys", "");
        config.put("gateway.livekit.config-file", "");
        for (int i = 0; i < overrides.length; i += 2) {
            config.put(overrides[i], overrides[i + 1]);
        }
        return config;
    }

    /** LiveKit and the OpenAI key valid, but LIVEKIT_URL is http:// (the {@code livekit.url} check FAILs), so readiness is DOWN. */
    public static class HttpUrl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return valid("gateway.openai.api-key", OPENAI_KEY, "gateway.livekit.url", "http://127.0.0.1:7880");
        }
    }
}
