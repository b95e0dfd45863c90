package io.realtimegateway.testing;

import java.security.SecureRandom;

/** Secrets in tests: fresh random values, and masking them (and any JWT) out of failure messages. */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SHARED_PREFIX = "realtime-gateway.test.secret.";
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private Secrets() {
    }

    /** {@code length} random letters and digits; the first is a letter, so the value is never all digits (livekit-server drops those). */
    public static String random(int length) {
        StringBuilder s = new StringBuilder(length);
        s.append(ALNUM.charAt(RANDOM.nextInt(52)));
        while (s.length() < length) {
            s.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
        }
        return s.toString();
    }

    /**
     * A random secret (40 letters and digits) that is the same for {@code name} everywhere in this test JVM, for the
     * constants of {@code @QuarkusTest} profiles: Quarkus loads a test class (and its profile) in more than one class
     * loader, so a static {@link #random} would give the profile and the test two different values. The value is kept
     * in the system properties, which every class loader shares.
     */
    public static String shared(String name) {
        return (String) System.getProperties().computeIfAbsent(SHARED_PREFIX + name, key -> random(40));
    }

    /** Replaces every secret and token in {@code text} before it can reach an assertion message. */
    public static String redact(String text, String... secrets) {
        String result = text == null ? "" : text;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                result = result.replace(secret, "<redacted>");
            }
        }
        // Any JWT (livekit-server v1.13.5 echoes refused tokens in its 401 bodies).
        return result.replaceAll("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*", "<jwt>");
    }
}
