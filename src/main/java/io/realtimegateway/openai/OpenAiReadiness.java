package io.realtimegateway.openai;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness for what the boot check found against OpenAI but let the gateway start with: exhausted quota, or an
 * unreachable OpenAI with {@code gateway.preflight.unreachable=warn}. Both are WARNs in the report (they must not
 * refuse boot), yet every relayed session would fail, so a load balancer should not send traffic here.
 */
@Readiness
@ApplicationScoped
class OpenAiReadiness implements HealthCheck {

    private final OpenAiModelCheck check;

    OpenAiReadiness(OpenAiModelCheck check) {
        this.check = check;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(OpenAiModelCheck.NAME);
        return check.notReadyReason()
                .map(reason -> response.down().withData("reason", reason))
                .orElseGet(() -> response.up())
                .build();
    }
}
