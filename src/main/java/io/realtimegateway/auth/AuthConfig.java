package io.realtimegateway.auth;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import io.realtimegateway.config.Verbatim;
import io.realtimegateway.config.ZeroAllowed;

/** How callers of the token and ticket endpoints authenticate ({@code GATEWAY_AUTH_*}). */
@ConfigMapping(prefix = "gateway.auth")
public interface AuthConfig {

    /**
     * {@code none}, {@code api-key} or {@code jwt}, or {@code api-key,jwt} for both at once (backends with API keys,
     * end users with JWTs); from {@code GATEWAY_AUTH_MODE}. {@code none} combines with nothing (auth.mode FAILs).
     * Read it through {@link AuthModes}. The dev and test profiles set none (anonymous callers).
     */
    @WithDefault("api-key")
    List<Mode> mode();

    /** Comma-separated bearer keys accepted in api-key mode; from {@code GATEWAY_AUTH_API_KEYS}. At least {@code SecretLint.MIN_SECRET_LENGTH} characters each. */
    @Verbatim
    Optional<String> apiKeys();

    /** Lets prod run with mode none (e.g. behind an authenticating proxy); from {@code GATEWAY_AUTH_ALLOW_ANONYMOUS}. */
    @WithDefault("false")
    boolean allowAnonymous();

    /** Caller JWTs (mode jwt). */
    Jwt jwt();

    /** Verification of caller JWTs. */
    interface Jwt {

        /** HS256 shared secret (at least {@code SecretLint.MIN_SECRET_LENGTH} characters); from {@code GATEWAY_AUTH_JWT_SECRET}. */
        @Verbatim
        Optional<String> secret();

        /** RS256 public key: PEM text or a path to a PEM file; from {@code GATEWAY_AUTH_JWT_PUBLIC_KEY}. */
        @Verbatim
        Optional<String> publicKey();

        /** Required {@code iss} of caller JWTs; from {@code GATEWAY_AUTH_JWT_ISSUER}. Required in prod (auth.jwt-issuer). */
        Optional<String> issuer();

        /** Required {@code aud} of caller JWTs; from {@code GATEWAY_AUTH_JWT_AUDIENCE}. Required in prod (auth.jwt-audience). */
        Optional<String> audience();

        /** Tolerated clock difference when checking {@code exp}, {@code nbf} and {@code iat}; at most 5 minutes (larger is used as 5 minutes, and fails auth.jwt-limits). */
        @WithDefault("30s")
        @ZeroAllowed
        Duration clockSkew();

        /** Longest accepted caller JWT lifetime ({@code exp - iat}); longer-lived tokens are refused. */
        @WithDefault("24h")
        Duration maxLifetime();

        /** The LiveKit participant identity is the caller's {@code sub}; a different requested identity is refused. */
        @WithName("bind-identity")
        @WithDefault("true")
        boolean bindIdentity();
    }

    /** Caller authentication modes. */
    enum Mode {
        NONE,
        API_KEY,
        JWT
    }
}
