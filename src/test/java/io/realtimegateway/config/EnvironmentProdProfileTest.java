package io.realtimegateway.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.preflight.Preflight;
import io.realtimegateway.preflight.PreflightReport;
import io.realtimegateway.testing.Reports;

/**
 * The {@code prod} config profile: no dev shortcut applies even when its switch is set where prod ignores it. The
 * preflight is explicitly not enforced so that the test can look at the failures.
 */
@QuarkusTest
@TestProfile(EnvironmentProdProfileTest.ProdProfile.class)
class EnvironmentProdProfileTest {

    public static class ProdProfile implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        static final String ADMIN_KEY = "environment-prod-admin-key-" + "0123456789abcdef";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.preflight.online", "false",
                    "gateway.preflight.enforce", "false",
                    "gateway.auth.mode", "none",
                    "gateway.token.diagnostics-include-token", "true",
                    "gateway.livekit.url", "ws://localhost:7880",
                    "gateway.livekit.api-key", "devkey",
                    "gateway.livekit.api-secret", "secret",
                    "gateway.openai.api-key", "",
                    "gateway.admin.api-keys", ADMIN_KEY);
        }
    }

    @Inject
    Environment environment;

    @Inject
    Preflight preflight;

    @Test
    void theProdProfileIsProd() {
        assertThat(environment.isProd()).isTrue();
    }

    @Test
    void noDevShortcutApplies() {
        PreflightReport report = preflight.latest();
        assertThat(Reports.result(report.checks(), "livekit.secret.length").status()).isEqualTo(CheckStatus.FAIL);
        assertThat(Reports.result(report.checks(), "livekit.secret.public").status()).as("devkey/secret is LiveKit's public dev pair")
                .isEqualTo(CheckStatus.FAIL);
        assertThat(Reports.result(report.checks(), "openai.api-key").status()).isEqualTo(CheckStatus.FAIL);
        assertThat(Reports.result(report.checks(), "auth.mode").status()).isEqualTo(CheckStatus.FAIL);
        assertThat(Reports.result(report.checks(), "realtime.ticket-secret").status()).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void diagnosticsNeverShowTheSampleTokenInProd() {
        // In prod the diagnostics need the admin credential; even the admin never sees the sample token itself.
        given().header("Authorization", "Bearer " + ProdProfile.ADMIN_KEY).queryParam("room", "r").queryParam("username", "u").when().get("/api/livekit-token/test").then()
                .statusCode(200)
                .body("launch_mode", equalTo("prod"))
                .body("sample_token.token", nullValue())
                .body("sample_token.claims.sub", equalTo("u"));
    }
}
