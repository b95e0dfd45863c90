package io.realtimegateway.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.preflight.Preflight;
import io.realtimegateway.preflight.PreflightReport;
import io.realtimegateway.testing.Profiles;
import io.realtimegateway.testing.Reports;

/**
 * The {@code dev} config profile outside {@code quarkus:dev}, as a jar started with {@code QUARKUS_PROFILE=dev} runs:
 * the gateway is in dev, and every dev shortcut applies (the {@code %dev} LiveKit defaults devkey/secret are weak).
 */
@QuarkusTest
@TestProfile(Profiles.Dev.class)
class EnvironmentDevProfileTest {

    @Inject
    Environment environment;

    @Inject
    Preflight preflight;

    @Test
    void theDevProfileIsDevWhateverTheLaunchMode() {
        assertThat(environment.devMode()).isTrue();
    }

    @Test
    void everyDevShortcutApplies() {
        PreflightReport report = preflight.latest();
        CheckResult weak = Reports.result(report.checks(), "livekit.secret.length");
        assertThat(weak.status()).isEqualTo(CheckStatus.WARN);
        assertThat(weak.message()).contains("WEAK SECRET ALLOWED");
        assertThat(Reports.result(report.checks(), "livekit.secret.public").status()).as("the dev pair is public, and allowed in dev")
                .isEqualTo(CheckStatus.WARN);
        assertThat(Reports.result(report.checks(), "openai.api-key").status()).isEqualTo(CheckStatus.WARN);
        assertThat(Reports.result(report.checks(), "auth.mode").status()).isEqualTo(CheckStatus.OK);
        assertThat(Reports.result(report.checks(), "realtime.ticket-secret").message()).contains("generated per boot");
        assertThat(report.status()).as("the gateway serves: the preflight is not enforced").isNotEqualTo(CheckStatus.FAIL);
    }

    @Test
    void diagnosticsShowTheSampleTokenToAnonymousCallers() {
        given().queryParam("room", "r").queryParam("username", "u").when().get("/api/livekit-token/test").then()
                .statusCode(200)
                .body("launch_mode", equalTo("dev"))
                .body("auth.mode", equalTo("none"))
                .body("sample_token.token", startsWith("eyJ"));
    }
}
