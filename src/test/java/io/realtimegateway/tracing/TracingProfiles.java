package io.realtimegateway.tracing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.realtimegateway.testing.Secrets;

/** The test profile of the traces: the SDK on (spans kept in memory, testing/InMemorySpans), callers with an API key. */
public final class TracingProfiles {

    /** The callers' API key (shared between the profile and the test: Secrets#shared). */
    public static String callerKey() {
        return Secrets.shared("tracing.caller-key");
    }

    private TracingProfiles() {
    }

    /** Tracing on, GATEWAY_AUTH_MODE=api-key; nothing is exported over OTLP (the endpoint is closed, the exporter's retries are quiet). */
    public static class On implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = LiveKitTestConfig.valid();
            config.put("quarkus.otel.sdk.disabled", "false");
            config.put("gateway.auth.mode", "api-key");
            config.put("gateway.auth.api-keys", callerKey());
            config.put("quarkus.otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:9");
            config.put("quarkus.log.category.\"io.opentelemetry.exporter\".level", "OFF");
            return config;
        }
    }
}
