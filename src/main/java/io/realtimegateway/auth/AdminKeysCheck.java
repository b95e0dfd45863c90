package io.realtimegateway.auth;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.config.Environment;
import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.credentials.SecretLint;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.PreflightCheck;

/** {@code auth.admin-keys}: the admin keys are linted like the caller keys, distinct from them, and their absence in prod is said. */
@ApplicationScoped
class AdminKeysCheck implements PreflightCheck {

    static final String NAME = "auth.admin-keys";

    private final AdminConfig admin;
    private final AuthConfig auth;
    private final Environment environment;

    AdminKeysCheck(AdminConfig admin, AuthConfig auth, Environment environment) {
        this.admin = admin;
        this.auth = auth;
        this.environment = environment;
    }

    @Override
    public Feature feature() {
        return Feature.AUTH;
    }

    /** After the caller checks (auth.mode, auth.api-keys, auth.jwt-key). */
    @Override
    public int place() {
        return 1;
    }

    @Override
    public List<CheckResult> run() {
        return List.of(evaluate(AuthKeys.adminKeys(admin), AuthKeys.apiKeys(auth), environment.isProd()));
    }

    static CheckResult evaluate(List<String> adminKeys, List<String> callerKeys, boolean prod) {
        String fix = "Set GATEWAY_ADMIN_API_KEYS to one or more comma-separated random keys of at least " + SecretLint.MIN_SECRET_LENGTH
                + " characters, e.g. $(" + SecretLint.GENERATE + "), different from GATEWAY_AUTH_API_KEYS.";
        if (adminKeys.isEmpty()) {
            return prod
                    ? CheckResult.warn(NAME, "GATEWAY_ADMIN_API_KEYS is not set: the diagnostics endpoint (GET /api/livekit-token/test) answers 404", fix)
                    : CheckResult.ok(NAME, "GATEWAY_ADMIN_API_KEYS not set: the diagnostics endpoint is open to token callers (dev and test only)");
        }
        List<String> problems = AuthKeys.keyProblems(adminKeys);
        if (!problems.isEmpty()) {
            return CheckResult.fail(NAME, "GATEWAY_ADMIN_API_KEYS: " + String.join("; ", problems), fix);
        }
        List<String> shared = adminKeys.stream().filter(callerKeys::contains).map(Fingerprint::of).toList();
        if (!shared.isEmpty()) {
            return CheckResult.fail(NAME, "GATEWAY_ADMIN_API_KEYS and GATEWAY_AUTH_API_KEYS share " + String.join(", ", shared)
                    + ": every token caller with it would be an admin", fix);
        }
        return CheckResult.ok(NAME, adminKeys.size() + " admin key(s): " + String.join(", ", adminKeys.stream().map(Fingerprint::of).toList()));
    }
}
