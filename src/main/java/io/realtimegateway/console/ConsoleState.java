package io.realtimegateway.console;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import io.realtimegateway.config.Environment;
import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.credentials.LiveKitCredentials;
import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.preflight.Preflight;
import io.realtimegateway.preflight.PreflightReport;
import io.realtimegateway.realtime.RealtimeConfig;
import io.realtimegateway.relay.SessionRegistry;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;

/** Assembles the page's state from the features that own it; nothing is computed twice (checks, readiness, keys, counters, charts). */
@ApplicationScoped
class ConsoleState {

    private final Preflight preflight;
    private final LiveKitCredentials livekit;
    private final OpenAiCredentials openai;
    private final RealtimeConfig realtime;
    private final SessionRegistry sessions;
    private final ConsoleCounters counters;
    private final ChartSampler charts;
    private final String access;
    private final SmallRyeHealthReporter health;

    ConsoleState(Preflight preflight, LiveKitCredentials livekit, OpenAiCredentials openai, RealtimeConfig realtime, SessionRegistry sessions,
            ConsoleCounters counters, ChartSampler charts, Environment environment, SmallRyeHealthReporter health) {
        this.preflight = preflight;
        this.livekit = livekit;
        this.openai = openai;
        this.realtime = realtime;
        this.sessions = sessions;
        this.counters = counters;
        this.charts = charts;
        // Who may open the console (the admin role, as AdminAuthenticator grants it): an admin key in prod, the caller credential elsewhere.
        this.access = environment.isProd() ? "admin" : "dev";
        this.health = health;
    }

    Uni<ConsoleViews.State> state() {
        PreflightReport report = preflight.latest();
        return Uni.combine().all().unis(readiness(report), sessions.sample()).asTuple().map(t -> new ConsoleViews.State(Instant.now(),
                access, ConsoleViews.Checks.of(report), ConsoleViews.Keys.of(livekit), relay(),
                t.getItem1(), t.getItem2(), sessions.closed(), counters.read(), charts.charts()));
    }

    ConsoleViews.Relay relay() {
        return new ConsoleViews.Relay(openai.relayEnabled(), openai.relayEnabled() ? null : openai.disabledReason(),
                openai.apiKey().map(Fingerprint::of).orElse(null), openai.baseUrl(), realtime.models(), sessions.liveCount());
    }

    /** Readiness as the health endpoint computes it (its own checks, not a copy of their rules), plus each feature's worst check. */
    Uni<ConsoleViews.Readiness> readiness(PreflightReport report) {
        Map<String, CheckStatus> features = new LinkedHashMap<>();
        for (ConsoleViews.FeatureChecks feature : ConsoleViews.Checks.of(report).features()) {
            features.put(feature.name(), feature.status());
        }
        return health.getReadinessAsync().map(result -> {
            JsonObject payload = result.getPayload();
            Map<String, String> checks = new LinkedHashMap<>();
            for (JsonValue check : payload.getJsonArray("checks")) {
                JsonObject c = check.asJsonObject();
                checks.put(c.getString("name"), c.getString("status"));
            }
            return new ConsoleViews.Readiness(payload.getString("status"), checks, features);
        });
    }
}
