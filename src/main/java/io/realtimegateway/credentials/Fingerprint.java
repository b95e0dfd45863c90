package io.realtimegateway.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The only way a secret may appear in output: its length and the first 8 hex characters of its SHA-256.
 * Operators compare with {@code printf %s "$SECRET" | sha256sum}.
 */
public final class Fingerprint {

    private Fingerprint() {
    }

    /** {@code len=40 sha256:1a2b3c4d}, or {@code <unset>}. */
    public static String of(String secret) {
        if (secret == null) {
            return "<unset>";
        }
        return "len=" + secret.length() + " sha256:" + sha256Prefix(secret);
    }

    /** The first 8 hex characters of the SHA-256 of the UTF-8 bytes. */
    public static String sha256Prefix(String secret) {
        return prefix(sha256(secret));
    }

    /** The first 8 hex characters of a SHA-256 already computed by {@link #sha256}. */
    public static String prefix(byte[] sha256) {
        return HexFormat.of().formatHex(sha256, 0, 4);
    }

    /** The SHA-256 of the UTF-8 bytes (e.g. to compare API keys in constant time without keeping them). */
    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
