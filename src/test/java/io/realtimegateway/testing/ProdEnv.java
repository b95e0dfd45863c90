package io.realtimegateway.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment of the packaged gateway in prod: the one place that knows what "a valid configuration" is, for
 * every test that launches the jar ({@link GatewayProcess} only takes this). {@link #valid()} passes every offline
 * check with fresh random secrets; each test then states only what it changes:
 * {@code ProdEnv.valid().relayOff().online().with("LIVEKIT_URL", url).without("LIVEKIT_API_KEY")}.
 * The builder changes itself and returns itself, so a test can keep adjusting one instance.
 */
public final class ProdEnv {

    private final Map<String, String> env = new LinkedHashMap<>();

    private ProdEnv() {
    }

    /**
     * LiveKit (URL and one key pair), an OpenAI project key, api-key caller auth with one key, a ticket secret, and
     * the network checks off (nothing listens at {@code ws://127.0.0.1:7880}); prod defaults for everything else.
     */
    public static ProdEnv valid() {
        return new ProdEnv()
                .with("LIVEKIT_URL", "ws://127.0.0.1:7880")
                .with("LIVEKIT_API_KEY", "APIgw" + Secrets.random(10))
                .with("LIVEKIT_API_SECRET", Secrets.random(43))
                .with("OPENAI_API_KEY", "sk-proj-" + Secrets.random(48))
                .with("GATEWAY_AUTH_MODE", "api-key")
                .with("GATEWAY_AUTH_API_KEYS", Secrets.random(40))
                .with("GATEWAY_REALTIME_TICKET_SECRET", Secrets.random(43))
                .with("GATEWAY_PREFLIGHT_ONLINE", "false");
    }

    /** Sets (or replaces) one variable. */
    public ProdEnv with(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Leaves variables out, so the gateway sees them unset. */
    public ProdEnv without(String... names) {
        for (String name : names) {
            env.remove(name);
        }
        return this;
    }

    /** The prod default for the network checks (on): LiveKit's ListRooms, and OpenAI's model check while the relay is on. */
    public ProdEnv online() {
        return without("GATEWAY_PREFLIGHT_ONLINE");
    }

    /** The relay off (GATEWAY_REALTIME_ENABLED=false), so neither an OpenAI key nor a ticket secret is given. */
    public ProdEnv relayOff() {
        return without("OPENAI_API_KEY", "GATEWAY_REALTIME_TICKET_SECRET").with("GATEWAY_REALTIME_ENABLED", "false");
    }

    /** No LiveKit key source at all, for tests that pick their own (LIVEKIT_KEYS, LIVEKIT_CONFIG_FILE). */
    public ProdEnv withoutLiveKitKeys() {
        return without("LIVEKIT_API_KEY", "LIVEKIT_API_SECRET", "LIVEKIT_KEYS");
    }

    /** One variable's value, or null when it is not set. */
    public String get(String name) {
        return env.get(name);
    }

    /** The caller key for {@code Authorization: Bearer} (GATEWAY_AUTH_API_KEYS holds exactly one unless a test changed it). */
    public String callerKey() {
        return env.get("GATEWAY_AUTH_API_KEYS");
    }

    /** The variables as they are now (a read-only view). */
    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(env);
    }

    /** The secret values now set, for masking and for "no secret in the output" assertions. */
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        env.forEach((name, value) -> {
            if (value != null && !value.isEmpty() && isSecret(name)) {
                secrets.add(value);
            }
        });
        return secrets;
    }

    /** LIVEKIT_API_KEY is a public key id and stays visible: the reports name it on purpose. */
    private static boolean isSecret(String name) {
        return name.contains("SECRET") || name.endsWith("KEYS") || name.contains("PASSWORD") || name.equals("OPENAI_API_KEY");
    }
}
