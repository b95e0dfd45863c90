package io.realtimegateway.livekit;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.realtimegateway.credentials.LiveKitCredentials;
import io.realtimegateway.credentials.LiveKitKey;
import io.realtimegateway.credentials.Urls;
import io.realtimegateway.preflight.NetworkFailure;

/**
 * Would livekit-server let a participant join? A join token for a test room, signed like every token with the signing
 * key, presented to the server's {@code /rtc/validate}: the checks of a join (key, signature, lifetime, grants, room)
 * without media and without creating anything. Public for the console's "try it" panel. The token never leaves.
 */
@ApplicationScoped
public class TestRoomJoin {

    public static final String ROOM = "console-try";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @param status livekit-server's HTTP status, null when it was not reached
     * @param reason livekit-server's answer in words (a token it echoes is redacted), or why nothing was asked
     */
    @RegisterForReflection
    public record Result(boolean ok, String serverUrl, String apiKey, String room, String identity, Integer status, String reason) {
    }

    private final LiveKitCredentials credentials;
    private final LiveKitTwirpClient http;

    TestRoomJoin(LiveKitCredentials credentials, LiveKitTwirpClient http) {
        this.credentials = credentials;
        this.http = http;
    }

    /** Blocking (never on an event loop): calls livekit-server. */
    public Result tryJoin(String identityPrefix) {
        String serverUrl = credentials.serverUrl().orElse(null);
        Optional<LiveKitKey> key = credentials.signingKey();
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        String identity = identityPrefix + "-" + HexFormat.of().formatHex(suffix);
        if (key.isEmpty()) {
            return new Result(false, serverUrl, null, ROOM, identity, null, "no signing key: see the livekit.* checks");
        }
        Optional<String> apiUrl = credentials.apiUrl().filter(u -> !u.isBlank());
        if (apiUrl.isEmpty()) {
            return new Result(false, serverUrl, key.get().apiKey(), ROOM, identity, null, "LIVEKIT_URL is not set: see the livekit.url check");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String token = LiveKitTokenIssuer.sign(key.get(), identity, now, now.plusSeconds(60),
                Map.of("name", "realtime-gateway console", "video", Map.of("roomJoin", true, "room", ROOM, "canPublish", false)));
        String validate = Urls.stripTrailingSlashes(apiUrl.get()) + "/rtc/validate?access_token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
        try {
            LiveKitTwirpClient.Answer answer = http.get(validate, TIMEOUT);
            String said = redact(answer.body(), token);
            boolean ok = answer.status() == 200;
            return new Result(ok, serverUrl, key.get().apiKey(), ROOM, identity, answer.status(),
                    ok ? "livekit-server would admit this participant to " + ROOM + " (" + said + ")" : said);
        } catch (IllegalArgumentException e) {
            return new Result(false, serverUrl, key.get().apiKey(), ROOM, identity, null, "LIVEKIT_URL gives an invalid server API URL: see the livekit.url check");
        } catch (IOException e) {
            return new Result(false, serverUrl, key.get().apiKey(), ROOM, identity, null,
                    "livekit-server unreachable at " + apiUrl.get() + ": " + NetworkFailure.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, serverUrl, key.get().apiKey(), ROOM, identity, null, "interrupted");
        }
    }

    /** livekit-server v1.13.5 quotes the token in some 401 bodies: never pass it on. */
    static String redact(String body, String token) {
        String text = body == null ? "" : body.replace(token, "<token>").strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
