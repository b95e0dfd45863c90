package io.realtimegateway.livekit;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** LiveKit configured offline, caller auth none, a non-default token policy (to prove it is applied). */
public class TokensProfile implements QuarkusTestProfile {

    static final String URL = "wss://livekit.example.test";
    static final String API_KEY = "APItokensTest";
    static final String SECRET = "tokens-test-secret-0123456789-abcdefghij";
    static final long TTL_SECONDS = 900;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "gateway.livekit.url", URL,
                "gateway.livekit.api-key", API_KEY,
                "gateway.livekit.api-secret", SECRET,
                "gateway.auth.mode", "none",
                "gateway.token.ttl", "15m",
                "gateway.token.grant.can-update-own-metadata", "true",
                "gateway.token.grant.can-publish-sources", "camera,microphone",
                "gateway.token.allowed-agents", "voice-agent,other-agent");
    }
}
