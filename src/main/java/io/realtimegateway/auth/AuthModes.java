package io.realtimegateway.auth;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The caller authentication modes of {@code GATEWAY_AUTH_MODE}: one of {@code none}, {@code api-key}, {@code jwt}, or
 * {@code api-key,jwt} for both at once. With both, a presented bearer credential is routed by its shape alone: a JWT
 * is three base64url segments joined by dots ({@link #looksLikeJwt}); anything else is an API key. The shape is public
 * (every JWT has it), so routing by it reveals nothing; no secret is tried against the wrong verifier, and the
 * API-key comparison stays constant-time over every configured key. An API key with the JWT shape could not be used in
 * that mode, so auth.api-keys FAILs on one.
 */
public record AuthModes(Set<AuthConfig.Mode> modes) {

    /** {@code header.payload.signature}, each base64url without padding, none empty. */
    private static final Pattern JWT_SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    public AuthModes {
        modes = modes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(modes));
    }

    static AuthModes of(AuthConfig config) {
        return new AuthModes(EnumSet.copyOf(config.mode().isEmpty() ? List.of(AuthConfig.Mode.API_KEY) : config.mode()));
    }

    /** Whether callers may present this kind of credential. */
    public boolean accepts(AuthConfig.Mode mode) {
        return modes.contains(mode);
    }

    /**
     * No caller authentication at all (mode none alone): every caller is anonymous. A list that combines none with
     * another mode FAILs auth.mode, and if the gateway runs anyway (enforce off) the other modes apply: never open by mistake.
     */
    boolean anonymous() {
        return modes.equals(Set.of(AuthConfig.Mode.NONE));
    }

    /** Both API keys and JWTs. */
    boolean both() {
        return modes.contains(AuthConfig.Mode.API_KEY) && modes.contains(AuthConfig.Mode.JWT);
    }

    /** What is wrong with the combination (none with another mode), for auth.mode; empty when it is usable. */
    Optional<String> problem() {
        if (modes.contains(AuthConfig.Mode.NONE) && modes.size() > 1) {
            return Optional.of("GATEWAY_AUTH_MODE=" + this + " combines none with another mode; none means no caller authentication at all");
        }
        return Optional.empty();
    }

    /** Whether a bearer credential has the shape of a JWT (compact JWS), which decides the verifier in mode api-key,jwt. */
    static boolean looksLikeJwt(String credential) {
        return credential != null && JWT_SHAPE.matcher(credential).matches();
    }

    /** As written in GATEWAY_AUTH_MODE: {@code api-key,jwt}. */
    @Override
    public String toString() {
        return modes.stream().sorted().map(m -> m.name().toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(","));
    }
}
