package io.realtimegateway.preflight;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One named check's result. {@code name} is stable (operators grep for it); {@code message} names the
 * fault and {@code fix} the remedy. Neither may ever contain a secret: use {@code Fingerprint}.
 */
@RegisterForReflection
public record CheckResult(String name, CheckStatus status, String message, String fix) {

    public static CheckResult ok(String name, String message) {
        return new CheckResult(name, CheckStatus.OK, message, null);
    }

    public static CheckResult warn(String name, String message, String fix) {
        return new CheckResult(name, CheckStatus.WARN, message, fix);
    }

    public static CheckResult fail(String name, String message, String fix) {
        return new CheckResult(name, CheckStatus.FAIL, message, fix);
    }
}
