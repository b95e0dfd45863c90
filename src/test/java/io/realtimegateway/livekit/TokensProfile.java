package io.realtimegateway.livekit;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.realtimegateway.testing.LiveKitTestConfig;

/** LiveKit configured offline, caller auth none, a non-default token policy (to prove it is applied). */
public class TokensProfile implements QuarkusTestProfile {

    static final long TTL_SECONDS = 900;

    @Override
    public Map<String, String> getConfigOverrides() {
        return LiveKitTestConfig.valid(
                "gateway.auth.mode", "none",
                "gateway.token.ttl", "15m",
                "gateway.token.grant.can-update-own-metadata", "true",
                "gateway.token.grant.can-publish-sources", "camera,microphone",
                "gateway.token.allowed-agents", "voice-agent,other-agent");
    }
}
