package io.realtimegateway.credentials;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the LiveKit server is and which keys sign its tokens. Env names follow LiveKit's own
 * conventions ({@code LIVEKIT_URL}, {@code LIVEKIT_API_KEY}, ...); see application.properties.
 */
@ConfigMapping(prefix = "gateway.livekit")
public interface LiveKitConfig {

    /** URL the frontends connect to ({@code ws://} or {@code wss://}); from {@code LIVEKIT_URL}. */
    Optional<String> url();

    /** API key of the signing pair; from {@code LIVEKIT_API_KEY}. */
    Optional<String> apiKey();

    /** API secret of the signing pair; from {@code LIVEKIT_API_SECRET}. */
    Optional<String> apiSecret();

    /** livekit-server's own {@code "key: secret"} lines; from {@code LIVEKIT_KEYS}. */
    Optional<String> keys();

    /** Path to the LiveKit server's livekit.yaml ({@code keys:} or {@code key_file:}); from {@code LIVEKIT_CONFIG_FILE}. */
    Optional<String> configFile();

    /** Which configured key signs tokens when several are known; defaults to the first one. */
    Optional<String> signingKey();

    /**
     * Where the gateway itself calls the server API ({@code http://} or {@code https://}); from
     * {@code LIVEKIT_API_URL}. Empty means the http(s) form of {@link #url()}. Needed when the public
     * URL does not route back from the gateway, e.g. under docker compose ({@code http://livekit:7880}).
     */
    Optional<String> apiUrl();

    /** Accept secrets under LiveKit's floor with a loud WARN ({@code livekit-server --dev} uses "secret"); on in the dev profile. */
    @WithDefault("false")
    boolean allowWeakSecret();
}
