package io.realtimegateway.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.realtimegateway.config.Environment;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.Problems;

/**
 * Who may use the console: whoever presents an admin key of {@code GATEWAY_ADMIN_API_KEYS}, as
 * {@code Authorization: Bearer <key>} or as the password of HTTP Basic (so that a browser can ask for it). Without
 * admin keys the console is open in dev and test and locked in prod. This is the only place that decides it.
 */
@ApplicationScoped
class ConsoleAccess {

    static final String BASIC_CHALLENGE = "Basic realm=\"realtime-gateway console\", charset=\"UTF-8\"";

    /** How access is decided. */
    enum Mode {
        /** No admin key and not prod: anyone who reaches the port. */
        OPEN,
        /** An admin key is required. */
        KEYS,
        /** Prod without admin keys: nobody. */
        LOCKED
    }

    private final Mode mode;
    private final List<byte[]> keyDigests;

    @Inject
    ConsoleAccess(@ConfigProperty(name = "gateway.admin.api-keys") Optional<String> adminKeys, Environment environment) {
        this(adminKeys, environment.isProd());
    }

    ConsoleAccess(Optional<String> adminKeys, boolean prod) {
        List<String> keys = adminKeys.map(raw -> Arrays.stream(raw.split(",")).map(String::trim).filter(k -> !k.isEmpty()).toList())
                .orElse(List.of());
        this.keyDigests = keys.stream().map(ConsoleAccess::sha256).toList();
        this.mode = !keys.isEmpty() ? Mode.KEYS : prod ? Mode.LOCKED : Mode.OPEN;
    }

    Mode mode() {
        return mode;
    }

    /** Nothing when the request may use the console, else the 401 or 403 to answer. */
    Optional<ProblemException> refusal(String authorization) {
        return switch (mode) {
            case OPEN -> Optional.empty();
            case LOCKED -> Optional.of(new ProblemException(403, Problems.type("console-locked"), "Console locked",
                    "The console needs an admin key in prod: set GATEWAY_ADMIN_API_KEYS (comma-separated, at least 32 characters each)."));
            case KEYS -> matches(presented(authorization)) ? Optional.empty()
                    : Optional.of(ProblemException.unauthorized(authorization == null
                            ? "The console requires an admin key: 'Authorization: Bearer <key>' (or the password of HTTP Basic)."
                            : "The admin key is not accepted.", authorization == null ? null : "invalid_token")
                            .withHeader("WWW-Authenticate", BASIC_CHALLENGE));
        };
    }

    /** The key of {@code Bearer <key>} or of {@code Basic base64(user:key)}; null when neither. */
    private static String presented(String authorization) {
        if (authorization == null) {
            return null;
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon < 0 ? null : pair.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private boolean matches(String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] digest = sha256(presented);
        boolean match = false;
        // Every key is compared, each in constant time: no timing oracle.
        for (byte[] known : keyDigests) {
            match |= MessageDigest.isEqual(known, digest);
        }
        return match;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
