package io.realtimegateway.preflight;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Runs the preflight at boot, before the HTTP port opens. Quarkus 3.33 opens the socket in
 * {@code VertxHttpProcessor#openSocket}, a build step that consumes {@code ApplicationStartBuildItem}, which exists
 * only once the StartupEvent observers returned; so a throw here means the port never accepted a connection
 * (StartupIT#refusedBootNeverAcceptsAConnection shows it from outside).
 * A FAIL refuses to boot with the report as the only output when the preflight is enforced ({@code gateway.preflight.enforce}: on
 * by default, off in the dev and test profiles).
 */
@Singleton
class BootGate {

    private static final Logger LOG = Logger.getLogger(BootGate.class);

    void onStart(@Observes StartupEvent event, Preflight preflight, PreflightConfig config,
            @ConfigProperty(name = "gateway.mode", defaultValue = "serve") String mode) {
        boolean enforce = config.enforce();
        PreflightReport report = preflight.run();
        if ("check".equals(mode)) {
            return; // the check command prints the report itself
        }
        if (report.status() == CheckStatus.FAIL && enforce) {
            throw new PreflightFailedException(report);
        }
        if (report.status() == CheckStatus.OK) {
            LOG.info(report.toText());
        } else if (report.status() == CheckStatus.WARN) {
            LOG.warn(report.toText());
        } else {
            LOG.error(report.toText() + "Serving anyway because gateway.preflight.enforce=false.");
        }
    }

    /** Carries the report as its message: the exit handler prints exactly that. */
    static final class PreflightFailedException extends RuntimeException {
        PreflightFailedException(PreflightReport report) {
            super(report.toText() + "Refusing to start: fix the failed checks above.", null, false, false);
        }
    }
}
