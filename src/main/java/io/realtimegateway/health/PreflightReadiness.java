package io.realtimegateway.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.Preflight;
import io.realtimegateway.preflight.PreflightConfig;
import io.realtimegateway.preflight.PreflightReport;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Readiness is the latest preflight report judged by {@link ReadinessRule}: DOWN while draining, while a local check
 * FAILs or Redis is unavailable (redis mode); a LiveKit or OpenAI outage shows as {@code DEGRADED} under its feature
 * key with the check's message, and takes readiness DOWN only when {@code GATEWAY_READINESS_REQUIRES} names it.
 * Every check's status is in the data too. A report older than {@code gateway.preflight.refresh} is re-run in the
 * background (online checks can take seconds), so a probe never waits on a remote server and readiness follows a
 * LiveKit server that went away or came back.
 */
@Readiness
@Singleton
class PreflightReadiness implements HealthCheck {

    static final String NAME = "preflight";
    private static final Logger LOG = Logger.getLogger(PreflightReadiness.class);

    private final Preflight preflight;
    private final PreflightConfig config;
    private final Drain drain;
    private final ReadinessRule rule;
    private final Clock clock;
    private final AtomicBoolean refreshing = new AtomicBoolean();

    PreflightReadiness(Preflight preflight, PreflightConfig config, ReadinessConfig readiness, Drain drain) {
        this.preflight = preflight;
        this.config = config;
        this.drain = drain;
        this.rule = ReadinessRule.of(readiness);
        this.clock = Clock.systemUTC();
    }

    @Override
    public HealthCheckResponse call() {
        PreflightReport report = preflight.latest();
        refreshIfStale(report);
        ReadinessRule.Verdict verdict = rule.judge(report, drain.draining());
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .status(verdict.ready())
                .withData("draining", drain.draining())
                .withData("status", report.status().name())
                .withData("checked_at", report.checkedAt().toString());
        if (verdict.reason() != null) {
            response.withData("reason", verdict.reason());
        }
        if (!rule.required().isEmpty()) {
            response.withData("requires", String.join(",", rule.required().stream().map(Feature::key).toList()));
        }
        for (ReadinessRule.FeatureReadiness feature : verdict.features()) {
            response.withData(feature.feature().key(), feature.state().name());
            if (feature.reason() != null) {
                response.withData(feature.feature().key() + "_reason", feature.reason());
            }
        }
        for (CheckResult check : report.checks()) {
            response.withData(check.name(), check.status().name());
        }
        return response.build();
    }

    private void refreshIfStale(PreflightReport report) {
        Duration age = Duration.between(report.checkedAt(), Instant.now(clock));
        if (age.compareTo(config.refresh()) < 0 || !refreshing.compareAndSet(false, true)) {
            return;
        }
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                PreflightReport fresh = preflight.run();
                if (fresh.status() != report.status()) {
                    LOG.warnf("Preflight status changed from %s to %s:%n%s", report.status(), fresh.status(), fresh.toText());
                }
            } catch (RuntimeException e) {
                LOG.errorf("Preflight refresh failed: %s", e.getClass().getName());
            } finally {
                refreshing.set(false);
            }
        });
    }
}
