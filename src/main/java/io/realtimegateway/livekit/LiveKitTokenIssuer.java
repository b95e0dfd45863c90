package io.realtimegateway.livekit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import javax.crypto.spec.SecretKeySpec;

import io.realtimegateway.credentials.LiveKitKey;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Signs LiveKit access tokens with smallrye-jwt-build: HS256 over the secret's raw UTF-8 bytes, {@code iss} = API key,
 * {@code nbf} and {@code exp} always (reference/livekit.md §1). Public so that end-to-end tests mint tokens the same way.
 */
public final class LiveKitTokenIssuer {

    private LiveKitTokenIssuer() {
    }

    /**
     * @param subject the participant identity ({@code sub}), or null for server API tokens
     * @param claims  further top-level claims ({@code video}, {@code name}, ...); values are strings, numbers, booleans, lists or maps
     */
    public static String sign(LiveKitKey key, String subject, Instant notBefore, Instant expiresAt, Map<String, Object> claims) {
        JwtClaimsBuilder builder = Jwt.claims().issuer(key.apiKey());
        if (subject != null) {
            builder.subject(subject);
        }
        builder.claim("nbf", notBefore.getEpochSecond());
        builder.expiresAt(expiresAt.getEpochSecond());
        claims.forEach(builder::claim);
        return builder.jws().algorithm(SignatureAlgorithm.HS256)
                .sign(new SecretKeySpec(key.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    }

    /** A short-lived server API token, e.g. {@code Map.of("roomList", true)} for Twirp ListRooms. */
    public static String serverApiToken(LiveKitKey key, Map<String, Object> videoGrant, Duration ttl) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return sign(key, null, now, now.plus(ttl), Map.of("video", videoGrant));
    }
}
