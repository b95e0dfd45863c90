package io.realtimegateway.health;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.Preflight;

/**
 * Readiness as metrics, so a dashboard can chart it over time: {@code gateway_ready} (1 ready, 0 not) and
 * {@code gateway_feature_state{feature,state}}, one series per shared feature and state with 1 on the current one
 * (the Prometheus way to export an enum). Both are judged at scrape time by the same {@link ReadinessRule} as the
 * readiness probe, from the latest report; a scrape never runs a check.
 */
@ApplicationScoped
@Startup
class ReadinessMetrics {

    private final Preflight preflight;
    private final Drain drain;
    private final ReadinessRule rule;

    ReadinessMetrics(MeterRegistry registry, Preflight preflight, Drain drain, ReadinessConfig readiness) {
        this.preflight = preflight;
        this.drain = drain;
        this.rule = ReadinessRule.of(readiness);
        Gauge.builder("gateway.ready", this, m -> m.verdict().ready() ? 1 : 0)
                .description("1 when the readiness probe answers UP").register(registry);
        for (Feature feature : ReadinessRule.SHARED) {
            for (ReadinessRule.State state : ReadinessRule.State.values()) {
                Gauge.builder("gateway.feature.state", this, m -> m.state(feature) == state ? 1 : 0)
                        .tag("feature", feature.key()).tag("state", state.name().toLowerCase(Locale.ROOT))
                        .description("1 on a shared feature's current readiness state (up, degraded, down)").register(registry);
            }
        }
    }

    private ReadinessRule.Verdict verdict() {
        return rule.judge(preflight.latest(), drain.draining());
    }

    private ReadinessRule.State state(Feature feature) {
        return verdict().features().stream().filter(f -> f.feature() == feature).findFirst()
                .map(ReadinessRule.FeatureReadiness::state).orElse(ReadinessRule.State.DOWN);
    }
}
