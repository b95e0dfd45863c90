package io.realtimegateway.livekit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
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
    /**
     * Per event-loop thread: a {@code Mac} ready for the last key it signed with, and a random source for {@code jti}.
     * {@code Mac.getInstance} and {@code init} per token, and {@code UUID.randomUUID()}'s one shared, locked
     * {@code SecureRandom}, were ~5 % of a token request's CPU.
     */
    private static final ThreadLocal<Signer> SIGNERS = ThreadLocal.withInitial(Signer::new);

    private static final class Signer {
        private final SecureRandom random = newRandom();
        private Mac mac;
        private String secret;

        byte[] sign(String keySecret, byte[] input) throws GeneralSecurityException {
            if (mac == null || !keySecret.equals(secret)) {
                Mac fresh = Mac.getInstance("HmacSHA256");
                fresh.init(new SecretKeySpec(keySecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                mac = fresh;
                secret = keySecret;
            }
            return mac.doFinal(input); // doFinal resets the Mac for the next token, keeping the key
        }

        /** A random (version 4) UUID, as {@link UUID#randomUUID()} makes, from this thread's own generator. */
        String uuid() {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
            bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new UUID(buffer.getLong(), buffer.getLong()).toString();
        }

        private static SecureRandom newRandom() {
            try {
                return SecureRandom.getInstance("DRBG"); // an instance of its own: no lock shared with other threads
            } catch (NoSuchAlgorithmException e) {
                return new SecureRandom();
            }
        }
    }

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
        Signer signer = SIGNERS.get();
        payload.put("jti", signer.uuid());
        payload.putAll(claims);
        try {
            byte[] body = B64.encode(JSON.writeValueAsBytes(payload));
            byte[] input = new byte[HEADER.length + 1 + body.length];
            System.arraycopy(HEADER, 0, input, 0, HEADER.length);
            input[HEADER.length] = '.';
            System.arraycopy(body, 0, input, HEADER.length + 1, body.length);
            return new String(input, StandardCharsets.US_ASCII) + '.' + B64.encodeToString(signer.sign(key.secret(), input));
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
