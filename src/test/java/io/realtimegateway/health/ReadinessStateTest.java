package io.realtimegateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.PreflightReport;

/** Readiness in redis mode: a Redis this replica cannot reach makes it not ready, even when the report only WARNs. */
class ReadinessStateTest {

    private static PreflightReport report(boolean online, CheckResult... checks) {
        return new PreflightReport(Instant.now(), List.of(new PreflightReport.Section(Feature.STATE, online, List.of(checks))));
    }

    private static boolean ready(PreflightReport report) {
        return PreflightReadiness.onlineChecksPassed(report, Feature.STATE);
    }

    @Test
    void stateRedisMustBeOkWhenItRuns() {
        assertThat(ready(report(true, CheckResult.ok("state.redis", "Redis at redis://r:6379 answers")))).isTrue();
        assertThat(ready(report(true, CheckResult.warn("state.redis", "Redis unreachable; serving anyway", "fix"))))
                .as("unreachable=warn serves, but does not admit sessions").isFalse();
        assertThat(ready(report(true, CheckResult.fail("state.redis", "WRONGPASS", "fix")))).isFalse();
        assertThat(ready(report(false, CheckResult.ok("state.config", "GATEWAY_STATE=redis at redis://r:6379")))).as("online checks off").isTrue();
    }
}
