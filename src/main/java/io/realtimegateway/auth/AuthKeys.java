package io.realtimegateway.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.jose4j.keys.HmacKey;

import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.credentials.SecretLint;

/** Parses the configured caller credentials: API keys and JWT verification keys. */
final class AuthKeys {

    private AuthKeys() {
    }

    /**
     * The keys of {@code GATEWAY_AUTH_API_KEYS}, split at commas. Only plain spaces around the commas are dropped,
     * so that copy-paste damage (tabs, CR/LF, quotes) stays visible to the lint.
     */
    static List<String> apiKeys(AuthConfig config) {
        return config.apiKeys().map(AuthKeys::splitKeys).orElse(List.of());
    }

    /** The keys of {@code GATEWAY_ADMIN_API_KEYS}, split like the caller keys. */
    static List<String> adminKeys(AdminConfig config) {
        return config.apiKeys().map(AuthKeys::splitKeys).orElse(List.of());
    }

    /** Per key, what makes it unusable (SecretLint's rule), naming it by number and fingerprint; empty when all are fine. */
    static List<String> keyProblems(List<String> keys) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            int number = i + 1;
            SecretLint.secretProblem(key).ifPresent(p -> problems.add("key #" + number + " (" + Fingerprint.of(key) + ") " + p.message()));
        }
        return problems;
    }

    static List<String> splitKeys(String raw) {
        return Arrays.stream(raw.split(",", -1))
                .map(AuthKeys::stripSpaces)
                .filter(k -> !k.isEmpty())
                .toList();
    }

    private static String stripSpaces(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && value.charAt(start) == ' ') {
            start++;
        }
        while (end > start && value.charAt(end - 1) == ' ') {
            end--;
        }
        return value.substring(start, end);
    }

    static HmacKey hmacKey(String secret) {
        return new HmacKey(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** An RSA public key from PEM text ({@code -----BEGIN PUBLIC KEY-----}) or a path to a PEM file. */
    static PublicKey rsaPublicKey(String pemOrPath) {
        String pem = pemOrPath.trim();
        if (!pem.startsWith("-----BEGIN")) {
            try {
                pem = Files.readString(Path.of(pem), StandardCharsets.US_ASCII);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("is neither PEM text nor a readable PEM file", e);
            }
        }
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("is not an RSA public key in PEM (X.509 SubjectPublicKeyInfo) form", e);
        }
    }
}
