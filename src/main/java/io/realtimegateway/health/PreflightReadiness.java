package io.realtimegateway.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.realtimegateway.config.PreflightConfig;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.Preflight;
import io.realtimegateway.preflight.PreflightReport;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Readiness is the latest preflight report: DOWN while any check FAILs, with every check's status in the data
 * and a summary per {@link Feature} for LiveKit and OpenAI (grouped by the feature each check declares). A report older than {@code gateway.preflight.refresh} is re-run in the
 * background (online checks can take seconds), so a probe never waits on a remote server and readiness
 * follows a LiveKit server that went away or came back.
 */
@Readiness
@Singleton
class PreflightReadiness implements HealthCheck {

    static final String NAME = "preflight";
    /** The features summarised in the data, each under its key. */
    private static final List<Feature> SUMMARISED = List.of(Feature.LIVEKIT, Feature.OPENAI);
    private static final Logger LOG = Logger.getLogger(PreflightReadiness.class);

    private final Preflight preflight;
    private final PreflightConfig config;
    private final Drain drain;
    private final Clock clock;
    private final AtomicBoolean refreshing = new AtomicBoolean();

    PreflightReadiness(Preflight preflight, PreflightConfig config, Drain drain) {
        this.preflight = preflight;
        this.config = config;
        this.drain = drain;
        this.clock = Clock.systemUTC();
    }

    @Override
    public HealthCheckResponse call() {
        PreflightReport report = preflight.latest();
        refreshIfStale(report);
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .status(!drain.draining() && report.status() != CheckStatus.FAIL && onlineChecksPassed(report, Feature.LIVEKIT)
                        // Without Redis (state.redis, redis mode only) this replica claims no ticket and takes no lease: not ready.
                        && onlineChecksPassed(report, Feature.STATE))
                .withData("draining", drain.draining())
                .withData("status", report.status().name())
                .withData("checked_at", report.checkedAt().toString());
        for (Feature feature : SUMMARISED) {
            response.withData(feature.key(), report.status(feature).name());
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

    /**
     * False while an online check of the feature is not OK: with {@code gateway.preflight.unreachable=warn} the gateway
     * serves while livekit-server is down, but is not ready (readiness reflects LiveKit's status). True when the
     * online checks did not run ({@code GATEWAY_PREFLIGHT_ONLINE=false}). OpenAI has its own rule ({@code OpenAiReadiness}):
     * a rate-limited check WARNs without taking readiness DOWN.
     */
    static boolean onlineChecksPassed(PreflightReport report, Feature feature) {
        return report.sections().stream().filter(s -> s.online() && s.feature() == feature)
                .flatMap(s -> s.results().stream()).allMatch(c -> c.status() == CheckStatus.OK);
    }
}
