package io.realtimegateway.credentials;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.config.LiveKitConfig;

/**
 * The LiveKit keys the gateway knows, resolved once from every configured source, and the URLs of the server.
 */
@ApplicationScoped
public class LiveKitCredentials {

    private final LiveKitConfig config;
    private final List<LiveKitKey> keys;

    LiveKitCredentials(LiveKitConfig config) {
        this.config = config;
        this.keys = resolve(config);
    }

    private static List<LiveKitKey> resolve(LiveKitConfig config) {
        List<LiveKitKey> resolved = new ArrayList<>();
        if (config.apiKey().isPresent() && config.apiSecret().isPresent()) {
            resolved.add(new LiveKitKey(config.apiKey().get(), config.apiSecret().get(), "LIVEKIT_API_KEY/LIVEKIT_API_SECRET"));
        }
        return List.copyOf(resolved);
    }

    /** Every key pair from every source, in source order; empty when none is configured. */
    public List<LiveKitKey> keys() {
        return keys;
    }

    /** The pair that signs tokens: {@code gateway.livekit.signing-key} if set, else the first. */
    public Optional<LiveKitKey> signingKey() {
        Optional<String> wanted = config.signingKey();
        if (wanted.isPresent()) {
            return keys.stream().filter(k -> k.apiKey().equals(wanted.get())).findFirst();
        }
        return keys.stream().findFirst();
    }

    /** The URL frontends connect to, as configured ({@code ws://} or {@code wss://}). */
    public Optional<String> serverUrl() {
        return config.url();
    }

    /** The http(s) form of {@link #serverUrl()}, for the server API (Twirp). */
    public Optional<String> apiUrl() {
        return config.url().map(url -> url.replaceFirst("^ws", "http"));
    }
}
