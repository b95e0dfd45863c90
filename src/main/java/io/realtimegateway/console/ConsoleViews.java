package io.realtimegateway.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.credentials.KeyProblem;
import io.realtimegateway.credentials.KeySource;
import io.realtimegateway.credentials.LiveKitCredentials;
import io.realtimegateway.credentials.LiveKitKey;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.PreflightReport;
import io.realtimegateway.relay.SessionRegistry;

/** What the console shows, as records the page reads (snake_case JSON). No field ever holds a secret: fingerprints only. */
final class ConsoleViews {

    private ConsoleViews() {
    }

    /** Everything on the page at one moment. */
    @RegisterForReflection
    record State(Instant at, String access, Checks checks, Keys keys, Relay relay, Readiness readiness, List<SessionRegistry.LiveSession> live,
            List<SessionRegistry.ClosedSession> closed, ConsoleCounters.Counters counters, ChartSampler.Charts charts) {
    }

    /** The latest preflight report, its checks grouped by the feature each check declares. */
    @RegisterForReflection
    record Checks(Instant checkedAt, CheckStatus status, List<FeatureChecks> features) {

        static Checks of(PreflightReport report) {
            Map<Feature, List<CheckResult>> byFeature = new EnumMap<>(Feature.class);
            for (PreflightReport.Section section : report.sections()) {
                if (!section.results().isEmpty()) { // a check with nothing to say in this setup (e.g. state.redis in memory mode)
                    byFeature.computeIfAbsent(section.feature(), f -> new ArrayList<>()).addAll(section.results());
                }
            }
            List<FeatureChecks> features = byFeature.entrySet().stream()
                    .map(e -> new FeatureChecks(e.getKey().key(), report.status(e.getKey()), e.getValue())).toList();
            return new Checks(report.checkedAt(), report.status(), features);
        }
    }

    /** One feature's checks (in report order) and their worst status; {@code name} is the feature's key, e.g. {@code livekit}. */
    @RegisterForReflection
    record FeatureChecks(String name, CheckStatus status, List<CheckResult> checks) {
    }

    /**
     * The LiveKit keys: each source with what is wrong with it, and one row per API key with the fingerprint of its
     * secret in every source that names it.
     *
     * @param signingKey the API key that signs tokens, or null when none can
     */
    @RegisterForReflection
    record Keys(List<Source> sources, List<KeyRow> agreement, String signingKey) {

        static Keys of(LiveKitCredentials credentials) {
            List<Source> sources = credentials.sources().stream()
                    .map(s -> new Source(s.name(), s.isServerConfig(), s.keys().size(), s.problems())).toList();
            Map<String, Map<String, String>> rows = new LinkedHashMap<>();
            for (KeySource source : credentials.sources()) {
                for (LiveKitKey key : source.keys()) {
                    rows.computeIfAbsent(key.apiKey(), k -> new LinkedHashMap<>()).putIfAbsent(source.name(), Fingerprint.of(key.secret()));
                }
            }
            Optional<LiveKitKey> signing = credentials.signingKey();
            boolean hasServerConfig = credentials.sources().stream().anyMatch(KeySource::isServerConfig);
            List<KeyRow> agreement = rows.entrySet().stream().map(e -> {
                Map<String, String> bySource = e.getValue();
                boolean sameSecret = bySource.values().stream().distinct().count() == 1;
                Boolean knownToServer = hasServerConfig
                        ? credentials.sources().stream().filter(KeySource::isServerConfig).anyMatch(s -> bySource.containsKey(s.name()))
                        : null;
                return new KeyRow(e.getKey(), signing.map(k -> k.apiKey().equals(e.getKey())).orElse(false), bySource, sameSecret, knownToServer);
            }).toList();
            return new Keys(sources, agreement, signing.map(LiveKitKey::apiKey).orElse(null));
        }
    }

    /** A key source ({@code LIVEKIT_API_KEY/LIVEKIT_API_SECRET}, {@code LIVEKIT_KEYS}, a livekit.yaml path). */
    @RegisterForReflection
    record Source(String name, boolean serverConfig, int keys, List<KeyProblem> problems) {
    }

    /**
     * One API key across the sources.
     *
     * @param fingerprints source name to the fingerprint of the secret it gives this key
     * @param agree every source that names the key gives it the same secret
     * @param knownToServer whether livekit.yaml has the key; null when no livekit.yaml is configured
     */
    @RegisterForReflection
    record KeyRow(String apiKey, boolean signing, Map<String, String> fingerprints, boolean agree, Boolean knownToServer) {
    }

    /** The relay: on or off and why, the OpenAI key's fingerprint, where it goes, and what it allows. */
    @RegisterForReflection
    record Relay(boolean enabled, String disabledReason, String apiKey, String baseUrl, List<String> models, int liveSessions) {
    }

    /**
     * Readiness as {@code /q/health/ready} answers it, and per feature the worst status of its checks.
     *
     * @param status UP or DOWN
     * @param health every readiness health check and its status
     */
    @RegisterForReflection
    record Readiness(String status, Map<String, String> health, Map<String, CheckStatus> features) {
    }
}
