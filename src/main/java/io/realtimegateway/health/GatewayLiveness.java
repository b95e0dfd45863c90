package io.realtimegateway.health;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness only says the process serves HTTP. Credential trouble is readiness' business: restarting the
 * container would not fix a wrong secret.
 */
@Liveness
@Singleton
class GatewayLiveness implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.up("gateway");
    }
}
