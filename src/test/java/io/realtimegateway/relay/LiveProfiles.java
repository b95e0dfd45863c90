package io.realtimegateway.relay;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.realtimegateway.testing.Secrets;

/** The test profiles of GPT-Live's relay (one boot for every policy case). */
public final class LiveProfiles {

    static final String SECRET = Secrets.shared("live-ticket-secret");
    static final String INSTRUCTIONS = "Only talk about the weather.";

    private LiveProfiles() {
    }

    /** Server instructions, a Responses backend allow-list, a budget of 5 s a day, one session per model. */
    public static class Policy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(Map.entry("gateway.realtime.ticket-secret", SECRET),
                    Map.entry("gateway.live.models", "gpt-live-1,gpt-live-1.1"),
                    Map.entry("gateway.live.instructions", INSTRUCTIONS),
                    Map.entry("gateway.live.responses-models", "gpt-5.6-luna"),
                    Map.entry("gateway.live.responses-tools", "function"),
                    Map.entry("gateway.live.budget-seconds-per-day", "5"),
                    Map.entry("gateway.live.max-sessions-per-model", "1"));
        }
    }
}
