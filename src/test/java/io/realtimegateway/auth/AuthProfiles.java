package io.realtimegateway.auth;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.realtimegateway.testing.LiveKitTestConfig;

/** Test profiles for the caller authentication modes; LiveKit is the shared offline configuration in each. */
final class AuthProfiles {

    static final String API_KEY_1 = "gw-key-one-0123456789abcdefghijklmnop";
    static final String API_KEY_2 = "gw-key-two-0123456789abcdefghijklmnop";
    static final String JWT_SECRET = "caller-jwt-secret-0123456789abcdefghijkl";
    static final String JWT_ISSUER = "https://idp.example.test";
    static final String JWT_AUDIENCE = "realtime-gateway";

    private AuthProfiles() {
    }

    /** GATEWAY_AUTH_MODE=api-key with two keys. */
    public static class ApiKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = LiveKitTestConfig.valid();
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
            Map<String, String> config = LiveKitTestConfig.valid();
            config.put("gateway.auth.mode", "jwt");
            config.put("gateway.auth.jwt.secret", JWT_SECRET);
            config.put("gateway.auth.jwt.issuer", JWT_ISSUER);
            config.put("gateway.auth.jwt.audience", JWT_AUDIENCE);
            return config;
        }
    }

    /** GATEWAY_AUTH_MODE=api-key,jwt: the keys of {@link ApiKey} and the JWTs of {@link Jwt} on one boot. */
    public static class ApiKeyAndJwt implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new Jwt().getConfigOverrides();
            config.put("gateway.auth.mode", "api-key,jwt");
            config.put("gateway.auth.api-keys", API_KEY_1 + ", " + API_KEY_2);
            return config;
        }
    }
}
