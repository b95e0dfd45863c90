package io.realtimegateway.testing;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The shared {@code @QuarkusTest} profiles. Every profile is one more application boot, and so is every other set of
 * class-level {@code @WithTestResource}s under one profile: Quarkus orders the test classes by profile and resources
 * and boots once per group. So a test picks one of these (or none: the {@code %test} configuration) and varies its
 * data (another caller, identity or key) rather than the configuration. The fakes a profile needs are its own
 * {@link #testResources()}, never a class annotation, so that every test of the profile shares one boot.
 * <p>
 * A test keeps a profile of its own only where its configuration contradicts every shared one (a timing, a limit or a
 * readiness state another test must not see); docs/testing.md lists them and why.
 */
public final class Profiles {

    /** The API keys of {@link ApiKeyCallers}: one per test class that needs a caller of its own. */
    public static final String API_KEY_1 = "gw-key-one-0123456789abcdefghijklmnop";
    public static final String API_KEY_2 = "gw-key-two-0123456789abcdefghijklmnop";
    public static final String TICKET_CALLER_KEY = "ticket-caller-key-0123456789abcdefghijkl";

    /** The token lifetime {@link Tokens} configures (not the default, to prove it is applied). */
    public static final long TOKEN_TTL_SECONDS = 900;

    private Profiles() {
    }

    /**
     * The {@code dev} config profile outside {@code quarkus:dev}, as a jar started with {@code QUARKUS_PROFILE=dev}
     * runs: the {@code %dev} properties (weak public LiveKit pair, CORS for localhost pages), the test port, no
     * network check, no OpenAI key.
     */
    public static class Dev implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "dev";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.port", "0", "gateway.preflight.online", "false", "gateway.openai.api-key", "");
        }
    }

    /**
     * LiveKit configured offline, caller auth none, a non-default token policy (to prove it is applied), the fake
     * OpenAI upstream, and readiness UP: every offline check passes, and the report goes stale at once so that every
     * probe also triggers a background refresh (which must keep it UP).
     */
    public static class Tokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return LiveKitTestConfig.valid(
                    "gateway.auth.mode", "none",
                    "gateway.token.ttl", "15m",
                    "gateway.token.grant.can-update-own-metadata", "true",
                    "gateway.token.grant.can-publish-sources", "camera,microphone",
                    "gateway.token.allowed-agents", "voice-agent,other-agent",
                    "gateway.preflight.refresh", "0s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeOpenAiUpstream.class));
        }
    }

    /** GATEWAY_AUTH_MODE=api-key with the keys above, the fake OpenAI upstream (for tickets). */
    public static class ApiKeyCallers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return LiveKitTestConfig.valid("gateway.auth.mode", "api-key",
                    "gateway.auth.api-keys", API_KEY_1 + ", " + API_KEY_2 + ", " + TICKET_CALLER_KEY,
                    "gateway.token.diagnostics-include-token", "true"); // honoured outside prod only
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeOpenAiUpstream.class));
        }
    }

    /**
     * LiveKit down (LIVEKIT_URL on port 1 of loopback, where nothing listens), OpenAI up (the fake upstream), the
     * online checks on, once, with {@code unreachable=warn}: the gateway serves, readiness stays UP.
     */
    public static class LiveKitDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return LiveKitTestConfig.valid("gateway.livekit.url", "ws://127.0.0.1:1", "gateway.preflight.online", "true",
                    "gateway.preflight.unreachable", "warn", "gateway.preflight.attempts", "1");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeOpenAiUpstream.class));
        }
    }

    /**
     * OpenAI down (OPENAI_BASE_URL on port 1 of loopback: the connection is refused at once), the relay on with the
     * fake's key, LiveKit up (a fake livekit-server; it turns the online checks on, 2 attempts), with
     * {@code unreachable=warn}: the gateway serves, readiness stays UP.
     */
    public static class OpenAiDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The classes sharing this boot test what an unreachable upstream does to each session, so the upstream breaker
            // (UpstreamBreaker*Test) never opens here: an earlier class's failed dial would make the next one's 1013.
            return Map.of("gateway.realtime.enabled", "true", "gateway.openai.api-key", FakeOpenAiUpstream.API_KEY,
                    "gateway.openai.base-url", "http://127.0.0.1:1/v1", "gateway.preflight.unreachable", "warn",
                    "gateway.realtime.upstream-breaker.failure-threshold", "1000000");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeLiveKitResource.class));
        }
    }
}
