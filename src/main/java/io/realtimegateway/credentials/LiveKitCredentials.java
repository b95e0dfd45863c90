package io.realtimegateway.credentials;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;


/**
 * The LiveKit keys the gateway knows, resolved once from every configured source, and the URLs of the server.
 * Sources, in order: {@code LIVEKIT_API_KEY/LIVEKIT_API_SECRET}, {@code LIVEKIT_KEYS}, the server's livekit.yaml
 * ({@code LIVEKIT_CONFIG_FILE}). Values are read raw (see {@link RawSetting}); the preflight checks judge them.
 */
@ApplicationScoped
public class LiveKitCredentials {

    private final LiveKitConfig config;
    private final Optional<String> url;
    private final Optional<String> apiKey;
    private final Optional<String> apiSecret;
    private final Optional<String> configFile;
    private final List<KeySource> sources;
    private final List<LiveKitKey> keys;

    @Inject
    LiveKitCredentials(LiveKitConfig config) {
        this(config,
                RawSetting.read("gateway.livekit.url", "LIVEKIT_URL", config.url()),
                RawSetting.read("gateway.livekit.api-key", "LIVEKIT_API_KEY", config.apiKey()),
                RawSetting.read("gateway.livekit.api-secret", "LIVEKIT_API_SECRET", config.apiSecret()),
                RawSetting.read("gateway.livekit.keys", "LIVEKIT_KEYS", config.keys()),
                RawSetting.read("gateway.livekit.config-file", "LIVEKIT_CONFIG_FILE", config.configFile()),
                System.getenv());
    }

    /** Every raw value given explicitly (tests, tools). */
    public LiveKitCredentials(LiveKitConfig config, Optional<String> url, Optional<String> apiKey, Optional<String> apiSecret,
            Optional<String> keysText, Optional<String> configFile, Map<String, String> env) {
        this.config = config;
        this.url = url;
        this.apiKey = apiKey;
        this.apiSecret = apiSecret;
        this.configFile = configFile;
        List<KeySource> resolved = new ArrayList<>();
        if (apiKey.isPresent() || apiSecret.isPresent()) {
            List<LiveKitKey> pair = new ArrayList<>();
            if (apiKey.isPresent() && apiSecret.isPresent()) {
                pair.add(new LiveKitKey(apiKey.get(), apiSecret.get(), KeySource.ENV_PAIR));
            }
            resolved.add(new KeySource(KeySource.ENV_PAIR, pair, List.of()));
        }
        keysText.filter(t -> !t.isBlank()).ifPresent(t -> resolved.add(LiveKitYaml.parseKeysEnv(t)));
        configFile.filter(f -> !f.isBlank()).ifPresent(f -> resolved.add(LiveKitYaml.readServerConfig(Path.of(f), env)));
        this.sources = List.copyOf(resolved);
        Map<String, LiveKitKey> byKey = new LinkedHashMap<>();
        for (KeySource source : sources) {
            for (LiveKitKey key : source.keys()) {
                byKey.putIfAbsent(key.apiKey(), key);
            }
        }
        this.keys = List.copyOf(byKey.values());
    }

    /** Every distinct key pair from every source, in source order (the first source wins); empty when none. */
    public List<LiveKitKey> keys() {
        return keys;
    }

    /** Each configured source with what it yields and what is wrong with it. */
    public List<KeySource> sources() {
        return sources;
    }

    /** The pair that signs tokens: {@code gateway.livekit.signing-key} if set, else the first. */
    public Optional<LiveKitKey> signingKey() {
        Optional<String> wanted = config.signingKey();
        if (wanted.isPresent()) {
            return keys.stream().filter(k -> k.apiKey().equals(wanted.get())).findFirst();
        }
        return keys.stream().findFirst();
    }

    /** The signing key name requested by {@code gateway.livekit.signing-key}, if any. */
    public Optional<String> requestedSigningKey() {
        return config.signingKey();
    }

    /** The URL frontends connect to, as configured ({@code ws://} or {@code wss://}). */
    public Optional<String> serverUrl() {
        return url;
    }

    /**
     * Where the gateway calls the server API (Twirp): {@code LIVEKIT_API_URL} when set (e.g. {@code http://livekit:7880}
     * inside compose, where the public URL points at the host), else the http(s) form of {@link #serverUrl()}.
     */
    public Optional<String> apiUrl() {
        Optional<String> explicit = config.apiUrl().filter(u -> !u.isBlank());
        return explicit.isPresent() ? explicit : url.map(u -> u.replaceFirst("^(?i)ws", "http"));
    }

    /** {@code LIVEKIT_API_KEY} as set, even without its secret. */
    public Optional<String> rawApiKey() {
        return apiKey;
    }

    /** True when {@code LIVEKIT_API_SECRET} is set, even without its key. */
    public boolean hasRawApiSecret() {
        return apiSecret.isPresent();
    }

    /** {@code LIVEKIT_CONFIG_FILE} as set. */
    public Optional<String> configFile() {
        return configFile;
    }

    /** {@code gateway.livekit.allow-weak-secret}: on in the dev profile. */
    public boolean allowWeakSecret() {
        return config.allowWeakSecret();
    }
}
