package io.realtimegateway.livekit;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.realtimegateway.credentials.LiveKitCredentials;
import io.realtimegateway.credentials.LiveKitKey;
import io.realtimegateway.credentials.Urls;
import io.realtimegateway.preflight.NetworkFailure;

/**
 * A join of the test room {@value #ROOM}: a short-lived join token signed like every token with the signing key, for
 * a client to join with (the console page's livekit-client), and livekit-server's own verdict on it from
 * {@code /rtc/validate} (the checks of a join: key, signature, lifetime, grants, room, without media and without
 * creating anything), asked by the gateway at {@code LIVEKIT_API_URL}. Public for the console's "try it" panel. The
 * token is never logged: {@link Join#toString()} leaves it out, and a server answer that quotes it is redacted.
 */
@ApplicationScoped
public class TestRoomJoin {

    public static final String ROOM = "console-try";
    /** Long enough for a browser to load the SDK and join, short enough that a token seen in a browser's devtools is soon dead. */
    public static final Duration TTL = Duration.ofSeconds(60);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Per instance, not static: Quarkus initializes application classes at native build time, and a seeded generator must not be baked into the image. */
    private final SecureRandom random = new SecureRandom();

    /**
     * @param token     the join token (room {@link #ROOM}, join only: no publishing of tracks or data)
     * @param serverUrl where clients join: {@code LIVEKIT_URL}, as the token endpoints answer it
     */
    @RegisterForReflection
    public record Join(String token, String serverUrl, String apiKey, String room, String identity, Instant expiresAt) {
        @Override
        public String toString() {
            return "Join[room=" + room + ", identity=" + identity + ", apiKey=" + apiKey + ", serverUrl=" + serverUrl + ", expiresAt=" + expiresAt + "]";
        }
    }

    /**
     * @param status livekit-server's HTTP status, null when it was not reached
     * @param reason livekit-server's answer in words (a token it echoes is redacted), or why nothing was asked
     */
    @RegisterForReflection
    public record Verdict(boolean ok, Integer status, String reason) {
    }

    /**
     * @param join    null when no token could be signed (the verdict says why)
     * @param verdict livekit-server's answer to the gateway's {@code /rtc/validate} with the same token
     */
    @RegisterForReflection
    public record Result(Join join, Verdict verdict) {
    }

    private final LiveKitCredentials credentials;
    private final LiveKitTwirpClient http;

    TestRoomJoin(LiveKitCredentials credentials, LiveKitTwirpClient http) {
        this.credentials = credentials;
        this.http = http;
    }

    /** Blocking (never on an event loop): signs a join token for a fresh identity {@code identityPrefix-xxxxxx} and asks livekit-server about it. */
    public Result tryJoin(String identityPrefix) {
        Optional<String> serverUrl = credentials.serverUrl().filter(u -> !u.isBlank());
        Optional<LiveKitKey> key = credentials.signingKey();
        if (key.isEmpty()) {
            return new Result(null, new Verdict(false, null, "no signing key: see the livekit.* checks"));
        }
        if (serverUrl.isEmpty()) {
            return new Result(null, new Verdict(false, null, "LIVEKIT_URL is not set: see the livekit.url check"));
        }
        byte[] suffix = new byte[3];
        random.nextBytes(suffix);
        String identity = identityPrefix + "-" + HexFormat.of().formatHex(suffix);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(TTL);
        String token = LiveKitTokenIssuer.sign(key.get(), identity, now, expiresAt, Map.of("name", "realtime-gateway console",
                "video", Map.of("roomJoin", true, "room", ROOM, "canPublish", false, "canPublishData", false)));
        Join join = new Join(token, serverUrl.get(), key.get().apiKey(), ROOM, identity, expiresAt);
        return new Result(join, validate(credentials.apiUrl().orElseThrow(), token));
    }

    /**
     * The http(s) origin of {@code LIVEKIT_URL} ({@code wss://lk.example.com/x} gives {@code https://lk.example.com}),
     * where livekit-client fetches {@code /rtc/validate} after a refused join, or empty when it is not a URL.
     */
    public Optional<String> serverHttpOrigin() {
        try {
            URI url = URI.create(credentials.serverUrl().orElse("").strip());
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            String http = switch (scheme) {
                case "ws", "http" -> "http";
                case "wss", "https" -> "https";
                default -> null;
            };
            if (http == null || url.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(http + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : ""));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Verdict validate(String apiUrl, String token) {
        try {
            String validate = Urls.stripTrailingSlashes(apiUrl) + "/rtc/validate?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
            LiveKitTwirpClient.Answer answer = http.get(validate, TIMEOUT);
            String said = redact(answer.body(), token);
            boolean ok = answer.status() == 200;
            return new Verdict(ok, answer.status(), ok ? "livekit-server would admit this participant to " + ROOM + " (" + said + ")" : said);
        } catch (IOException e) {
            return new Verdict(false, null, "livekit-server unreachable at " + apiUrl + ": " + NetworkFailure.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verdict(false, null, "interrupted");
        } catch (IllegalArgumentException e) {
            return new Verdict(false, null, "LIVEKIT_API_URL is not a URL: see the livekit.url check");
        }
    }

    /** livekit-server v1.13.5 quotes the token in some 401 bodies: never pass it on. */
    static String redact(String body, String token) {
        String text = body == null ? "" : body.replace(token, "<token>").strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
