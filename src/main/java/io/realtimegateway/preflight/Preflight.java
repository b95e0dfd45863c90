package io.realtimegateway.preflight;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;


/** Runs every {@link PreflightCheck} and keeps the latest report for readiness and diagnostics. */
@ApplicationScoped
public class Preflight {

    /** The report order: offline before online, then by the declared feature and place (never by class or bean name). */
    static final Comparator<PreflightCheck> REPORT_ORDER = Comparator.comparing(PreflightCheck::online)
            .thenComparing(PreflightCheck::feature)
            .thenComparingInt(PreflightCheck::place);

    private final Instance<PreflightCheck> checks;
    private final PreflightConfig config;
    private final AtomicReference<PreflightReport> latest = new AtomicReference<>();

    Preflight(@Any Instance<PreflightCheck> checks, PreflightConfig config) {
        this.checks = checks;
        this.config = config;
    }

    /** Runs the offline checks, then the online ones when enabled (the essential ones always), and remembers the report. */
    public PreflightReport run() {
        List<PreflightReport.Section> sections = new ArrayList<>();
        for (PreflightCheck check : checks.stream().sorted(REPORT_ORDER).toList()) {
            if (!check.online() || config.online() || check.essential()) {
                sections.add(new PreflightReport.Section(check.feature(), check.online(), check.run()));
            }
        }
        PreflightReport report = new PreflightReport(Instant.now(), sections);
        latest.set(report);
        return report;
    }

    /** The last report, running the checks first if none ran yet. */
    public PreflightReport latest() {
        PreflightReport report = latest.get();
        return report != null ? report : run();
    }
}
