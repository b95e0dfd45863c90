package io.realtimegateway.health;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.PreflightReport;

/**
 * The one rule of readiness, "can this replica serve": DOWN while draining, while a local precondition fails (an
 * offline check FAILs) and, in redis mode, while {@code state.redis} is not OK (without Redis this replica admits no
 * session). An outage of a dependency every replica shares (LiveKit, OpenAI: one of its online checks is not OK) only
 * marks that feature {@code DEGRADED}, with the check's message, unless {@code GATEWAY_READINESS_REQUIRES} names it:
 * taking every replica out of rotation at once would also stop what still works (tokens need no OpenAI, the relay
 * no LiveKit).
 */
final class ReadinessRule {

    /** The shared dependencies, each summarised under its feature key. */
    static final List<Feature> SHARED = List.of(Feature.LIVEKIT, Feature.OPENAI);

    /** A shared feature's state in the readiness data. */
    enum State {
        /** Its checks pass. */
        UP,
        /** Configured fine, but the server is unreachable or refuses (an online check is not OK). */
        DEGRADED,
        /** A local precondition of it fails (an offline check FAILs). */
        DOWN
    }

    /** One shared feature: its state and, unless UP, the first check that decided it ({@code name: message}). */
    record FeatureReadiness(Feature feature, State state, String reason) {
    }

    /**
     * @param reason why the replica is not ready, null when it is
     */
    record Verdict(boolean ready, String reason, List<FeatureReadiness> features) {
    }

    private final Set<Feature> required;

    ReadinessRule(Set<Feature> required) {
        this.required = required.isEmpty() ? Set.of() : EnumSet.copyOf(required);
    }

    static ReadinessRule of(ReadinessConfig config) {
        Set<Feature> required = EnumSet.noneOf(Feature.class);
        for (ReadinessConfig.Dependency dependency : config.requires().orElse(List.of())) {
            required.add(dependency == ReadinessConfig.Dependency.LIVEKIT ? Feature.LIVEKIT : Feature.OPENAI);
        }
        return new ReadinessRule(required);
    }

    Set<Feature> required() {
        return required;
    }

    Verdict judge(PreflightReport report, boolean draining) {
        List<FeatureReadiness> features = SHARED.stream().map(f -> feature(report, f)).toList();
        String reason = null;
        if (draining) {
            reason = "draining: the gateway is shutting down";
        }
        if (reason == null) {
            reason = firstNotOk(report, false, null, CheckStatus.FAIL).map(c -> "local check failed: " + describe(c)).orElse(null);
        }
        if (reason == null) {
            reason = firstNotOk(report, true, Feature.STATE, CheckStatus.WARN).map(c -> "state store unavailable: " + describe(c)).orElse(null);
        }
        if (reason == null) {
            reason = features.stream().filter(f -> f.state() != State.UP && required.contains(f.feature())).findFirst()
                    .map(f -> f.feature().key() + " is " + f.state() + " and GATEWAY_READINESS_REQUIRES names it: " + f.reason()).orElse(null);
        }
        return new Verdict(reason == null, reason, features);
    }

    private static FeatureReadiness feature(PreflightReport report, Feature feature) {
        Optional<CheckResult> local = firstNotOk(report, false, feature, CheckStatus.FAIL);
        if (local.isPresent()) {
            return new FeatureReadiness(feature, State.DOWN, describe(local.get()));
        }
        return firstNotOk(report, true, feature, CheckStatus.WARN)
                .map(c -> new FeatureReadiness(feature, State.DEGRADED, describe(c)))
                .orElseGet(() -> new FeatureReadiness(feature, State.UP, null));
    }

    /** The first result at least as bad as {@code atLeast} among the online (or offline) checks, of one feature or of all (null). */
    private static Optional<CheckResult> firstNotOk(PreflightReport report, boolean online, Feature feature, CheckStatus atLeast) {
        return report.sections().stream().filter(s -> s.online() == online && (feature == null || s.feature() == feature))
                .flatMap(s -> s.results().stream()).filter(c -> c.status().compareTo(atLeast) >= 0).findFirst();
    }

    private static String describe(CheckResult check) {
        return check.name() + " " + check.status().name().toLowerCase(Locale.ROOT) + ": " + check.message();
    }
}
