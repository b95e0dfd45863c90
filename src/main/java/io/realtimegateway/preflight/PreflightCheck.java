package io.realtimegateway.preflight;

import java.util.List;

/**
 * A group of named startup checks. Implementations are CDI beans; {@link Preflight} finds them all.
 * The same results feed the boot gate, the {@code check} command, readiness and the diagnostics endpoint.
 * Each check declares where its results go: its {@link #feature()} (the report section and the readiness summary)
 * and its {@link #place()} within that section.
 */
public interface PreflightCheck {

    /** The feature whose section of the report holds these results. */
    Feature feature();

    /** Place within the feature's section, lowest first. Two checks of one feature and kind (offline/online) must differ. */
    default int place() {
        return 0;
    }

    /** Online checks call a server and run only when {@code gateway.preflight.online} is true, unless {@link #essential()}. */
    default boolean online() {
        return false;
    }

    /**
     * An online check of a server this replica cannot serve without (Redis in redis mode): it runs even with
     * {@code gateway.preflight.online=false}, because readiness must see that server go away.
     */
    default boolean essential() {
        return false;
    }

    /** Runs the checks. Must not throw: report a FAIL result instead. */
    List<CheckResult> run();
}
