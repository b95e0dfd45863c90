package io.realtimegateway.usage;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * {@code gateway_realtime_budget_tokens_per_day}: the configured per-identity daily budget (0 = unlimited), so a
 * dashboard draws usage against it. Per-identity usage stays out of metrics (one series per end user would be
 * unbounded); it is at {@code GET /api/realtime/usage}.
 */
@ApplicationScoped
@Startup
class BudgetMetrics {

    BudgetMetrics(MeterRegistry registry, UsageMeter meter) {
        Gauge.builder("gateway.realtime.budget.tokens.per.day", meter, UsageMeter::tokensPerDay)
                .description("Tokens one identity may spend per UTC day; 0 = unlimited").register(registry);
    }
}
