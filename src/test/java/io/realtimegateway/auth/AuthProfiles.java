package io.realtimegateway.auth;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Test profiles for the caller authentication modes; LiveKit is configured offline in each. */
final class AuthProfiles {

    static final String LIVEKIT_SECRET = "auth-test-livekit-secret-0123456789abcdef";
    static final String API_KEY_1 = "gw-key-one-0123456789abcdefghijklmnop";
    static final String API_KEY_2 = "gw-key-two-0123456789abcdefghijklmnop";
    static final String JWT_SECRET = "caller-jwt-secret-0123456789abcdefghijkl";
    static final String JWT_ISSUER = "https://idp.example.test";
    static final String JWT_AUDIENCE = "realtime-gateway";

    private AuthProfiles() {
    }

    static Map<String, String> livekit() {
        Map<String, String> config = new HashMap<>();
        config.put("gateway.livekit.url", "ws://127.0.0.1:7880");
        config.put("gateway.livekit.api-key", "APIauthTest");
        config.put("gateway.livekit.api-secret", LIVEKIT_SECRET);
        return config;
    }

    /** GATEWAY_AUTH_MODE=api-key with two keys. */
    public static class ApiKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = livekit();
            config.put("gateway.auth.mode", "api-key");
            config.put("gateway.auth.api-keys", API_KEY_1 + ", " + API_KEY_2);
            config.put("gateway.token.diagnostics-include-token", "true"); // honoured outside prod only
            return config;
        }
    }

    /** GATEWAY_AUTH_MODE=jwt, HS256, with issuer and audience; identity bound to sub (the default). */
    public static class Jwt implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = livekit();
            config.put("gateway.auth.mode", "jwt");
            config.put("gateway.auth.jwt.secret", JWT_SECRET);
            config.put("gateway.auth.jwt.issuer", JWT_ISSUER);
            config.put("gateway.auth.jwt.audience", JWT_AUDIENCE);
            return config;
        }
    }
}
