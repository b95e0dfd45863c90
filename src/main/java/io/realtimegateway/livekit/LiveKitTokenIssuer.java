package io.realtimegateway.livekit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.realtimegateway.credentials.LiveKitKey;

/**
 * Signs LiveKit access tokens (HS256, JDK HMAC and base64url) over the secret's raw UTF-8 bytes, {@code iss} = API key,
 * {@code nbf} and {@code exp} always, as livekit-server's auth package verifies them.
 */
final class LiveKitTokenIssuer {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final byte[] HEADER = B64.encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.US_ASCII));
    private static final ObjectMapper JSON = new ObjectMapper();

    private LiveKitTokenIssuer() {
    }

    /**
     * @param subject the participant identity ({@code sub}), or null for server API tokens
     * @param claims  further top-level claims ({@code video}, {@code name}, ...); values are strings, numbers, booleans, lists or maps
     */
    static String sign(LiveKitKey key, String subject, Instant notBefore, Instant expiresAt, Map<String, Object> claims) {
        // Signed here with the JDK (HMAC-SHA256, base64url) rather than smallrye-jwt-build: its sign() re-reads about a
        // dozen config properties per token and jose4j's base64 copies buffers, together ~40% of a token request's CPU.
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("iss", key.apiKey());
        if (subject != null) {
            payload.put("sub", subject);
        }
        long now = Instant.now().getEpochSecond();
        payload.put("iat", now);
        payload.put("nbf", notBefore.getEpochSecond());
        payload.put("exp", expiresAt.getEpochSecond());
        payload.put("jti", UUID.randomUUID().toString());
        payload.putAll(claims);
        try {
            byte[] body = B64.encode(JSON.writeValueAsBytes(payload));
            byte[] input = new byte[HEADER.length + 1 + body.length];
            System.arraycopy(HEADER, 0, input, 0, HEADER.length);
            input[HEADER.length] = '.';
            System.arraycopy(body, 0, input, HEADER.length + 1, body.length);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return new String(input, StandardCharsets.US_ASCII) + '.' + B64.encodeToString(mac.doFinal(input));
        } catch (JsonProcessingException | GeneralSecurityException e) {
            throw new IllegalStateException("LiveKit token could not be signed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** A short-lived server API token, e.g. {@code Map.of("roomList", true)} for Twirp ListRooms. */
    static String serverApiToken(LiveKitKey key, Map<String, Object> videoGrant, Duration ttl) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return sign(key, null, now, now.plus(ttl), Map.of("video", videoGrant));
    }
}
