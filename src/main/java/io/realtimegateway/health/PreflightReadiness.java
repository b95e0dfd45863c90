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

import io.realtimegateway.config.PreflightConfig;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.preflight.Preflight;
import io.realtimegateway.preflight.PreflightReport;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Readiness is the latest preflight report: DOWN while any check FAILs, with every check's status in the data
 * and a LiveKit and an OpenAI summary. A report older than {@code gateway.preflight.refresh} is re-run in the
 * background (online checks can take seconds), so a probe never waits on a remote server and readiness
 * follows a LiveKit server that went away or came back.
 */
@Readiness
@Singleton
class PreflightReadiness implements HealthCheck {

    static final String NAME = "preflight";
    /** Name of the online ListRooms check (io.realtimegateway.livekit.LiveKitServerCheck). */
    private static final String LIVEKIT_SERVER_CHECK = "livekit.server";
    private static final Logger LOG = Logger.getLogger(PreflightReadiness.class);

    private final Preflight preflight;
    private final PreflightConfig config;
    private final Clock clock;
    private final AtomicBoolean refreshing = new AtomicBoolean();

    PreflightReadiness(Preflight preflight, PreflightConfig config) {
        this.preflight = preflight;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    @Override
    public HealthCheckResponse call() {
        PreflightReport report = preflight.latest();
        refreshIfStale(report);
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .status(report.status() != CheckStatus.FAIL && liveKitServerAnswered(report))
                .withData("status", report.status().name())
                .withData("checked_at", report.checkedAt().toString())
                .withData("livekit", summary(report, "livekit.").name())
                .withData("openai", summary(report, "openai.").name());
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
     * False while the online LiveKit check is not OK: with {@code gateway.preflight.unreachable=warn} the gateway
     * serves while livekit-server is down, but is not ready (readiness reflects LiveKit's status). True when the
     * online check did not run ({@code GATEWAY_PREFLIGHT_ONLINE=false}).
     */
    static boolean liveKitServerAnswered(PreflightReport report) {
        return report.checks().stream().filter(c -> LIVEKIT_SERVER_CHECK.equals(c.name()))
                .allMatch(c -> c.status() == CheckStatus.OK);
    }

    /** The worst status of the checks whose name starts with {@code prefix}; OK when there are none. */
    static CheckStatus summary(PreflightReport report, String prefix) {
        return report.checks().stream().filter(c -> c.name().startsWith(prefix)).map(CheckResult::status)
                .reduce(CheckStatus.OK, CheckStatus::worst);
    }
}
