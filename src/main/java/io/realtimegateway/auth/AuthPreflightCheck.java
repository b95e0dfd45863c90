package io.realtimegateway.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.config.Environment;
import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.credentials.SecretLint;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.PreflightCheck;

/** Caller authentication must be configured before the token and ticket endpoints serve: auth.mode, auth.api-keys, auth.jwt-key. */
@ApplicationScoped
class AuthPreflightCheck implements PreflightCheck {

    static final String MODE = "auth.mode";
    static final String API_KEYS = "auth.api-keys";
    static final String JWT_KEY = "auth.jwt-key";
    static final String JWT_AUDIENCE = "auth.jwt-audience";
    static final String JWT_ISSUER = "auth.jwt-issuer";
    static final String JWT_LIMITS = "auth.jwt-limits";

    private final AuthConfig config;
    private final Environment environment;

    AuthPreflightCheck(AuthConfig config, Environment environment) {
        this.config = config;
        this.environment = environment;
    }

    @Override
    public Feature feature() {
        return Feature.AUTH;
    }

    @Override
    public List<CheckResult> run() {
        return evaluate(config, environment);
    }

    static List<CheckResult> evaluate(AuthConfig config, Environment environment) {
        List<CheckResult> results = new ArrayList<>();
        AuthModes modes = AuthModes.of(config);
        Optional<String> combination = modes.problem();
        if (combination.isPresent()) {
            results.add(CheckResult.fail(MODE, combination.get(),
                    "Set GATEWAY_AUTH_MODE to one of none, api-key, jwt, or api-key,jwt (backends with API keys and end users with JWTs)."));
            return results;
        }
        if (modes.anonymous()) {
            results.add(none(config.allowAnonymous(), environment.isProd()));
            return results;
        }
        if (modes.both()) {
            results.add(CheckResult.ok(MODE, "api-key,jwt: backends send 'Authorization: Bearer <key>', end users 'Authorization: Bearer <JWT>'"
                    + " (a credential shaped header.payload.signature is verified as a JWT, anything else as an API key)"));
        } else if (modes.accepts(AuthConfig.Mode.API_KEY)) {
            results.add(CheckResult.ok(MODE, "api-key: callers send 'Authorization: Bearer <key>'"));
        } else {
            results.add(CheckResult.ok(MODE, "jwt: callers send 'Authorization: Bearer <JWT>'"));
        }
        if (modes.accepts(AuthConfig.Mode.API_KEY)) {
            results.add(apiKeys(AuthKeys.apiKeys(config), modes.both()));
        }
        if (modes.accepts(AuthConfig.Mode.JWT)) {
            results.add(jwtKey(config.jwt()));
            results.addAll(jwtClaims(config.jwt(), environment.isProd()));
        }
        return results;
    }

    private static CheckResult none(boolean allowAnonymous, boolean needsConsent) {
        if (!needsConsent) {
            return CheckResult.ok(MODE, "none: the token and ticket endpoints are open (fine in dev and test)");
        }
        if (allowAnonymous) {
            return CheckResult.warn(MODE, "none: anyone who reaches the gateway gets LiveKit tokens and relay tickets (GATEWAY_AUTH_ALLOW_ANONYMOUS=true)",
                    "Only do this behind a proxy that authenticates callers; otherwise set GATEWAY_AUTH_MODE=api-key or jwt.");
        }
        return CheckResult.fail(MODE, "GATEWAY_AUTH_MODE=none in prod would give LiveKit tokens and relay tickets to anyone",
                "Set GATEWAY_AUTH_MODE=api-key with GATEWAY_AUTH_API_KEYS (or jwt with GATEWAY_AUTH_JWT_SECRET / _PUBLIC_KEY), "
                        + "or GATEWAY_AUTH_ALLOW_ANONYMOUS=true if a proxy in front authenticates callers.");
    }

    static CheckResult apiKeys(List<String> keys) {
        return apiKeys(keys, false);
    }

    /** @param withJwts mode api-key,jwt, where a key shaped like a JWT would be verified as one and never match */
    static CheckResult apiKeys(List<String> keys, boolean withJwts) {
        if (keys.isEmpty()) {
            return CheckResult.fail(API_KEYS, "GATEWAY_AUTH_API_KEYS is empty, so no caller could authenticate",
                    "Set GATEWAY_AUTH_API_KEYS to one or more comma-separated random keys of at least " + SecretLint.MIN_SECRET_LENGTH
                            + " characters, e.g. $(" + SecretLint.GENERATE + ").");
        }
        List<String> problems = AuthKeys.keyProblems(keys);
        if (!problems.isEmpty()) {
            return CheckResult.fail(API_KEYS, "GATEWAY_AUTH_API_KEYS: " + String.join("; ", problems),
                    "Use random keys of at least " + SecretLint.MIN_SECRET_LENGTH + " characters, separated by commas, without quotes or line breaks; "
                            + SecretLint.generateHint() + ".");
        }
        List<String> jwtShaped = withJwts ? keys.stream().filter(AuthModes::looksLikeJwt).map(Fingerprint::of).toList() : List.of();
        if (!jwtShaped.isEmpty()) {
            return CheckResult.fail(API_KEYS, "GATEWAY_AUTH_API_KEYS: key(s) " + String.join(", ", jwtShaped)
                    + " look like a JWT (three base64url parts joined by dots); with GATEWAY_AUTH_MODE=api-key,jwt they would be verified as JWTs",
                    "Use API keys without dots, e.g. $(" + SecretLint.GENERATE + ").");
        }
        return CheckResult.ok(API_KEYS, keys.size() + " API key(s): "
                + String.join(", ", keys.stream().map(Fingerprint::of).toList()));
    }

    static CheckResult jwtKey(AuthConfig.Jwt jwt) {
        String fix = "Set GATEWAY_AUTH_JWT_SECRET (HS256, at least " + SecretLint.MIN_SECRET_LENGTH
                + " random characters, e.g. $(" + SecretLint.GENERATE + ")) or GATEWAY_AUTH_JWT_PUBLIC_KEY (RS256, PEM text or file path) to the key your identity provider signs with.";
        if (jwt.secret().isPresent() && jwt.publicKey().isPresent()) {
            return CheckResult.fail(JWT_KEY, "both GATEWAY_AUTH_JWT_SECRET and GATEWAY_AUTH_JWT_PUBLIC_KEY are set; which one verifies is ambiguous", fix);
        }
        if (jwt.secret().isPresent()) {
            String secret = jwt.secret().get();
            Optional<SecretLint.SecretProblem> problem = SecretLint.secretProblem(secret);
            if (problem.isPresent()) {
                return CheckResult.fail(JWT_KEY, "GATEWAY_AUTH_JWT_SECRET (" + Fingerprint.of(secret) + ") " + problem.get().message(), fix);
            }
            return CheckResult.ok(JWT_KEY, "HS256 secret " + Fingerprint.of(secret) + issuerAudience(jwt));
        }
        if (jwt.publicKey().isPresent()) {
            try {
                AuthKeys.rsaPublicKey(jwt.publicKey().get());
            } catch (IllegalArgumentException e) {
                return CheckResult.fail(JWT_KEY, "GATEWAY_AUTH_JWT_PUBLIC_KEY " + e.getMessage(), fix);
            }
            return CheckResult.ok(JWT_KEY, "RS256 public key" + issuerAudience(jwt));
        }
        return CheckResult.fail(JWT_KEY, "GATEWAY_AUTH_MODE includes jwt but no verification key is configured", fix);
    }

    /**
     * In prod a caller JWT must name this gateway ({@code aud}) and come from the configured identity provider
     * ({@code iss}): without them, any token the key verifies (one minted for another service) would be accepted.
     * The clock skew is at most 5 minutes and the lifetime bound positive.
     */
    static List<CheckResult> jwtClaims(AuthConfig.Jwt jwt, boolean prod) {
        List<CheckResult> results = new ArrayList<>();
        results.add(required(JWT_AUDIENCE, "aud", "GATEWAY_AUTH_JWT_AUDIENCE", jwt.audience(), prod,
                "the audience your identity provider puts in tokens for this gateway"));
        results.add(required(JWT_ISSUER, "iss", "GATEWAY_AUTH_JWT_ISSUER", jwt.issuer(), prod, "your identity provider's issuer URL"));
        Duration skew = jwt.clockSkew();
        if (skew.compareTo(CallerAuthenticator.MAX_CLOCK_SKEW) > 0) {
            results.add(CheckResult.fail(JWT_LIMITS, "gateway.auth.jwt.clock-skew is " + skew.toSeconds() + " s, over the 300 s maximum"
                    + " (every token would live that much longer; 300 s is used)", "Set gateway.auth.jwt.clock-skew to 5m or less, e.g. 30s."));
        } else if (jwt.maxLifetime().isZero() || jwt.maxLifetime().isNegative()) {
            results.add(CheckResult.fail(JWT_LIMITS, "gateway.auth.jwt.max-lifetime must be positive", "Set it to e.g. 24h."));
        } else {
            results.add(CheckResult.ok(JWT_LIMITS, "caller JWTs need exp and iat, live at most " + jwt.maxLifetime().toSeconds()
                    + " s, iat not in the future; clock skew " + skew.toSeconds() + " s"));
        }
        return results;
    }

    private static CheckResult required(String name, String claim, String env, Optional<String> value, boolean prod, String what) {
        if (value.filter(v -> !v.isBlank()).isPresent()) {
            return CheckResult.ok(name, "caller JWTs must carry " + claim + " " + value.get());
        }
        String message = env + " is not set, so caller JWTs are accepted whatever their " + claim;
        String fix = "Set " + env + " to " + what + ".";
        return prod ? CheckResult.fail(name, message, fix) : CheckResult.warn(name, message + " (required in prod)", fix);
    }

    private static String issuerAudience(AuthConfig.Jwt jwt) {
        return jwt.issuer().map(i -> ", issuer " + i).orElse("") + jwt.audience().map(a -> ", audience " + a).orElse("")
                + (jwt.bindIdentity() ? ", identity bound to sub" : "");
    }
}
