package io.realtimegateway.livekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Verifies LiveKit tokens independently of the gateway: HMAC-SHA256 recomputed with javax.crypto, claims parsed as plain JSON. */
public final class TokenAssertions {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TokenAssertions() {
    }

    /** Asserts an HS256 header and a valid signature for {@code secret}; returns the claims. */
    public static JsonNode verifiedClaims(String jwt, String secret) {
        String[] parts = jwt.split("\\.");
        assertThat(parts).as("compact JWS").hasSize(3);
        JsonNode header = decode(parts[0]);
        assertThat(header.path("alg").asText()).isEqualTo("HS256");
        assertThat(header.has("kid")).as("LiveKit tokens carry no kid").isFalse();
        byte[] expected = hmac(secret, parts[0] + "." + parts[1]);
        byte[] actual = Base64.getUrlDecoder().decode(parts[2]);
        assertThat(MessageDigest.isEqual(expected, actual)).as("HMAC-SHA256 over header.payload with the LiveKit secret").isTrue();
        return decode(parts[1]);
    }

    /** Whether the signature matches {@code secret}. */
    public static boolean signatureMatches(String jwt, String secret) {
        String[] parts = jwt.split("\\.");
        return parts.length == 3 && MessageDigest.isEqual(hmac(secret, parts[0] + "." + parts[1]), Base64.getUrlDecoder().decode(parts[2]));
    }

    public static JsonNode decode(String base64Url) {
        try {
            return MAPPER.readTree(Base64.getUrlDecoder().decode(base64Url));
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + e.getMessage(), e);
        }
    }

    static byte[] hmac(String secret, String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
