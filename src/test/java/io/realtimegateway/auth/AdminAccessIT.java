package io.realtimegateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import io.realtimegateway.testing.GatewayProcess;
import io.realtimegateway.testing.ProdEnv;
import io.realtimegateway.testing.Secrets;

/**
 * The packaged jar in prod: the token diagnostics need an admin key. A token caller gets 403, no credential 401,
 * and without GATEWAY_ADMIN_API_KEYS the endpoint answers 404 and the report WARNs. Token issuance is unaffected.
 */
class AdminAccessIT {

    private static final String PATH = "/api/livekit-token/test";

    @Test
    void withoutAdminKeysTheDiagnosticsAreHiddenAndTheReportSaysSo() throws IOException {
        ProdEnv env = ProdEnv.valid();
        GatewayProcess.Result check = GatewayProcess.run(env, Files.createTempDirectory("admin-it"), "check");
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.stdout()).contains("WARN auth.admin-keys").contains("GATEWAY_ADMIN_API_KEYS is not set");

        try (GatewayProcess gateway = GatewayProcess.start(env)) {
            HttpResponse<String> diagnostics = gateway.get(PATH, env.callerKey());
            assertThat(diagnostics.statusCode()).as(gateway.redactedOutput()).isEqualTo(404);
            assertThat(diagnostics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(gateway.postJson("/api/livekit/token", "{}", env.callerKey()).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void onlyAnAdminKeyOpensTheDiagnostics() {
        String adminKey = Secrets.random(40);
        ProdEnv env = ProdEnv.valid().with("GATEWAY_ADMIN_API_KEYS", adminKey);
        try (GatewayProcess gateway = GatewayProcess.start(env)) {
            HttpResponse<String> caller = gateway.get(PATH, env.callerKey());
            assertThat(caller.statusCode()).as(gateway.redactedOutput()).isEqualTo(403);
            assertThat(caller.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(caller.body()).contains("admin key").doesNotContain(env.callerKey());

            assertThat(gateway.get(PATH, null).statusCode()).isEqualTo(401);
            assertThat(gateway.get(PATH, Secrets.random(40)).statusCode()).isEqualTo(401);

            HttpResponse<String> admin = gateway.get(PATH, adminKey);
            assertThat(admin.statusCode()).isEqualTo(200);
            assertThat(admin.body()).contains("\"caller\":\"admin:").contains("auth.admin-keys").doesNotContain(adminKey)
                    .doesNotContain(env.get("LIVEKIT_API_SECRET"));
            assertThat(gateway.output()).doesNotContain(adminKey);
        }
    }
}
