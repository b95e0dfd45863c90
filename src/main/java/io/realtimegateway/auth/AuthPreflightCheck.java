package io.realtimegateway.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.config.AuthConfig;
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
        switch (environment.authMode(config.mode())) {
            case NONE -> results.add(none(config.allowAnonymous(), environment.anonymousNeedsConsent()));
            case API_KEY -> {
                results.add(CheckResult.ok(MODE, "api-key: callers send 'Authorization: Bearer <key>'"));
                results.add(apiKeys(AuthKeys.apiKeys(config)));
            }
            case JWT -> {
                results.add(CheckResult.ok(MODE, "jwt: callers send 'Authorization: Bearer <JWT>'"));
                results.add(jwtKey(config.jwt()));
            }
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
        if (keys.isEmpty()) {
            return CheckResult.fail(API_KEYS, "GATEWAY_AUTH_API_KEYS is empty, so no caller could authenticate",
                    "Set GATEWAY_AUTH_API_KEYS to one or more comma-separated random keys of at least " + SecretLint.MIN_SECRET_LENGTH
                            + " characters, e.g. $(openssl rand -base64 48).");
        }
        List<String> problems = AuthKeys.keyProblems(keys);
        if (!problems.isEmpty()) {
            return CheckResult.fail(API_KEYS, "GATEWAY_AUTH_API_KEYS: " + String.join("; ", problems),
                    "Use random keys of at least " + SecretLint.MIN_SECRET_LENGTH + " characters, separated by commas, without quotes or line breaks.");
        }
        return CheckResult.ok(API_KEYS, keys.size() + " API key(s): "
                + String.join(", ", keys.stream().map(Fingerprint::of).toList()));
    }

    static CheckResult jwtKey(AuthConfig.Jwt jwt) {
        String fix = "Set GATEWAY_AUTH_JWT_SECRET (HS256, at least " + SecretLint.MIN_SECRET_LENGTH
                + " characters) or GATEWAY_AUTH_JWT_PUBLIC_KEY (RS256, PEM text or file path) to the key your identity provider signs with.";
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
        return CheckResult.fail(JWT_KEY, "GATEWAY_AUTH_MODE=jwt but no verification key is configured", fix);
    }

    private static String issuerAudience(AuthConfig.Jwt jwt) {
        return jwt.issuer().map(i -> ", issuer " + i).orElse("") + jwt.audience().map(a -> ", audience " + a).orElse("")
                + (jwt.bindIdentity() ? ", identity bound to sub" : "");
    }
}
