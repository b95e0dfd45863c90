package io.realtimegateway.preflight;

import java.util.List;

/**
 * A group of named startup checks. Implementations are CDI beans; {@link Preflight} finds them all.
 * The same results feed the boot gate, the {@code check} command, readiness and the diagnostics endpoint.
 */
public interface PreflightCheck {

    /** Online checks call a server and run only when {@code gateway.preflight.online} is true. */
    default boolean online() {
        return false;
    }

    /** Runs the checks. Must not throw: report a FAIL result instead. */
    List<CheckResult> run();
}
