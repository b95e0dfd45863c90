package io.realtimegateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.PreflightReport.Section;
import io.realtimegateway.preflight.PreflightReport;

/** The readiness rule: local failures, draining and Redis take it DOWN; a shared dependency only when required. */
class ReadinessRuleTest {

    private static final ReadinessRule DEFAULT = new ReadinessRule(Set.of());
    private static final Section LIVEKIT_OFFLINE_OK = new Section(Feature.LIVEKIT, false, List.of(CheckResult.ok("livekit.url", "ws://lk:7880")));
    private static final Section LIVEKIT_UP = new Section(Feature.LIVEKIT, true, List.of(CheckResult.ok("livekit.server", "accepts the key")));
    private static final Section LIVEKIT_GONE = new Section(Feature.LIVEKIT, true,
            List.of(CheckResult.fail("livekit.server", "LiveKit server unreachable at http://lk:7880 (connection refused after 3 attempt(s))", "fix")));
    private static final Section OPENAI_UP = new Section(Feature.OPENAI, true, List.of(CheckResult.ok("openai.model-access", "accepts the key")));
    private static final Section OPENAI_QUOTA = new Section(Feature.OPENAI, true,
            List.of(CheckResult.warn("openai.model-access", "OpenAI quota exhausted (insufficient_quota)", "billing")));

    private static PreflightReport report(Section... sections) {
        return new PreflightReport(Instant.now(), List.of(sections));
    }

    private static ReadinessRule.FeatureReadiness feature(ReadinessRule.Verdict verdict, Feature feature) {
        return verdict.features().stream().filter(f -> f.feature() == feature).findFirst().orElseThrow();
    }

    @Test
    void everythingPassingIsReadyWithBothFeaturesUp() {
        ReadinessRule.Verdict verdict = DEFAULT.judge(report(LIVEKIT_OFFLINE_OK, LIVEKIT_UP, OPENAI_UP), false);
        assertThat(verdict.ready()).isTrue();
        assertThat(verdict.reason()).isNull();
        assertThat(verdict.features()).extracting(ReadinessRule.FeatureReadiness::state)
                .containsExactly(ReadinessRule.State.UP, ReadinessRule.State.UP);
    }

    @Test
    void anOutageOfASharedDependencyIsDegradedNotDown() {
        ReadinessRule.Verdict verdict = DEFAULT.judge(report(LIVEKIT_OFFLINE_OK, LIVEKIT_GONE, OPENAI_QUOTA), false);
        assertThat(verdict.ready()).as("an online FAIL after boot is an outage, not a local fault").isTrue();
        assertThat(feature(verdict, Feature.LIVEKIT).state()).isEqualTo(ReadinessRule.State.DEGRADED);
        assertThat(feature(verdict, Feature.LIVEKIT).reason()).isEqualTo(
                "livekit.server fail: LiveKit server unreachable at http://lk:7880 (connection refused after 3 attempt(s))");
        assertThat(feature(verdict, Feature.OPENAI).state()).isEqualTo(ReadinessRule.State.DEGRADED);
        assertThat(feature(verdict, Feature.OPENAI).reason()).contains("openai.model-access warn: ").contains("insufficient_quota");
    }

    @Test
    void aRequiredDependencyThatIsNotUpTakesReadinessDown() {
        ReadinessRule requiresOpenAi = new ReadinessRule(Set.of(Feature.OPENAI));
        ReadinessRule.Verdict liveKitGone = requiresOpenAi.judge(report(LIVEKIT_GONE, OPENAI_UP), false);
        assertThat(liveKitGone.ready()).as("LiveKit is not required").isTrue();
        ReadinessRule.Verdict quota = requiresOpenAi.judge(report(LIVEKIT_UP, OPENAI_QUOTA), false);
        assertThat(quota.ready()).isFalse();
        assertThat(quota.reason()).startsWith("openai is DEGRADED and GATEWAY_READINESS_REQUIRES names it: openai.model-access warn:");
    }

    @Test
    void aLocalFailureOrTheDrainTakesReadinessDown() {
        Section badUrl = new Section(Feature.LIVEKIT, false, List.of(CheckResult.fail("livekit.url", "LIVEKIT_URL must be ws:// or wss://", "fix")));
        ReadinessRule.Verdict local = DEFAULT.judge(report(badUrl, OPENAI_UP), false);
        assertThat(local.ready()).isFalse();
        assertThat(local.reason()).isEqualTo("local check failed: livekit.url fail: LIVEKIT_URL must be ws:// or wss://");
        assertThat(feature(local, Feature.LIVEKIT).state()).isEqualTo(ReadinessRule.State.DOWN);
        Section badSetting = new Section(Feature.CONFIG, false, List.of(CheckResult.fail("config.settings", "GATEWAY_X is not a boolean", "fix")));
        assertThat(DEFAULT.judge(report(badSetting, LIVEKIT_UP, OPENAI_UP), false).ready()).as("any feature's local FAIL").isFalse();
        Section offlineWarn = new Section(Feature.AUTH, false, List.of(CheckResult.warn("auth.mode", "none", "fix")));
        assertThat(DEFAULT.judge(report(offlineWarn, LIVEKIT_UP, OPENAI_UP), false).ready()).as("a WARN is no failure").isTrue();

        ReadinessRule.Verdict draining = DEFAULT.judge(report(LIVEKIT_UP, OPENAI_UP), true);
        assertThat(draining.ready()).isFalse();
        assertThat(draining.reason()).startsWith("draining");
    }

    @Test
    void inRedisModeStateRedisMustBeOkWhenItRuns() {
        Section redisOk = new Section(Feature.STATE, true, List.of(CheckResult.ok("state.redis", "Redis at redis://r:6379 answers")));
        Section redisWarn = new Section(Feature.STATE, true, List.of(CheckResult.warn("state.redis", "Redis unreachable; serving anyway", "fix")));
        Section redisFail = new Section(Feature.STATE, true, List.of(CheckResult.fail("state.redis", "WRONGPASS", "fix")));
        Section offlineOnly = new Section(Feature.STATE, false, List.of(CheckResult.ok("state.config", "GATEWAY_STATE=redis at redis://r:6379")));
        assertThat(DEFAULT.judge(report(redisOk), false).ready()).isTrue();
        ReadinessRule.Verdict warn = DEFAULT.judge(report(redisWarn), false);
        assertThat(warn.ready()).as("unreachable=warn serves, but does not admit sessions").isFalse();
        assertThat(warn.reason()).startsWith("state store unavailable: state.redis warn:");
        assertThat(DEFAULT.judge(report(redisFail), false).ready()).isFalse();
        assertThat(DEFAULT.judge(report(offlineOnly), false).ready()).as("online checks off").isTrue();
    }
}
