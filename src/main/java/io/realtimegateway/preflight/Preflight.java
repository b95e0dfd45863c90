package io.realtimegateway.preflight;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import io.realtimegateway.config.PreflightConfig;

/** Runs every {@link PreflightCheck} and keeps the latest report for readiness and diagnostics. */
@ApplicationScoped
public class Preflight {

    private final Instance<PreflightCheck> checks;
    private final PreflightConfig config;
    private final AtomicReference<PreflightReport> latest = new AtomicReference<>();

    Preflight(@Any Instance<PreflightCheck> checks, PreflightConfig config) {
        this.checks = checks;
        this.config = config;
    }

    /** Runs the offline checks, then the online ones when enabled, and remembers the report. */
    public PreflightReport run() {
        List<CheckResult> results = new ArrayList<>();
        // Bean order is not defined; a stable order keeps reports diffable between runs.
        List<PreflightCheck> ordered = checks.stream().sorted(Comparator.comparing(c -> c.getClass().getName())).toList();
        for (PreflightCheck check : ordered) {
            if (!check.online()) {
                results.addAll(check.run());
            }
        }
        if (config.online()) {
            for (PreflightCheck check : ordered) {
                if (check.online()) {
                    results.addAll(check.run());
                }
            }
        }
        PreflightReport report = new PreflightReport(Instant.now(), results);
        latest.set(report);
        return report;
    }

    /** The last report, running the checks first if none ran yet. */
    public PreflightReport latest() {
        PreflightReport report = latest.get();
        return report != null ? report : run();
    }
}
