package io.realtimegateway.relay;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.realtimegateway.testing.Secrets;

/** The test profile of reusable tickets: API-key callers (trusted backends), an admin key, a short lease TTL (renewals every 300 ms). */
final class ReusableTicketProfiles {

    static final String BACKEND_KEY = Secrets.shared("reusable-backend-key");
    static final String ADMIN_KEY = Secrets.shared("reusable-admin-key");

    private ReusableTicketProfiles() {
    }

    public static class ApiKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.auth.mode", "api-key", "gateway.auth.api-keys", BACKEND_KEY, "gateway.admin.api-keys", ADMIN_KEY,
                    "gateway.state.lease-ttl", "900ms");
        }
    }
}
