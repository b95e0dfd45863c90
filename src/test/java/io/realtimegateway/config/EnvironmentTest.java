package io.realtimegateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.realtimegateway.config.Environment.Mode;

/** The prod/dev rule and each dev shortcut, in every mode, without booting. */
class EnvironmentTest {

    private static final Environment PROD = Environment.of(Mode.PROD);
    private static final Environment DEV = Environment.of(Mode.DEV);
    private static final Environment TEST = Environment.of(Mode.TEST);
    private static final Optional<Boolean> UNSET = Optional.empty();

    @Test
    void activeProfilesDecide() {
        assertThat(Environment.of(List.of("prod"))).isEqualTo(Mode.PROD);
        assertThat(Environment.of(List.of("dev"))).as("quarkus:dev, and a jar with QUARKUS_PROFILE=dev").isEqualTo(Mode.DEV);
        assertThat(Environment.of(List.of("test"))).isEqualTo(Mode.TEST);
        assertThat(Environment.of(List.of("staging"))).as("a custom profile is prod").isEqualTo(Mode.PROD);
        assertThat(Environment.of(List.of("staging", "dev"))).as("unless its parent is dev").isEqualTo(Mode.DEV);
        assertThat(Environment.of(List.of())).isEqualTo(Mode.PROD);
    }

    @Test
    void weakLiveKitSecretIsAllowedByDefaultInDevOnlyAndTheSettingWins() {
        assertThat(PROD.allowWeakLiveKitSecret(UNSET)).isFalse();
        assertThat(DEV.allowWeakLiveKitSecret(UNSET)).isTrue();
        assertThat(TEST.allowWeakLiveKitSecret(UNSET)).isFalse();
        assertThat(PROD.allowWeakLiveKitSecret(Optional.of(true))).isTrue();
        assertThat(DEV.allowWeakLiveKitSecret(Optional.of(false))).isFalse();
    }

    @Test
    void missingOpenAiKeyIsAllowedByDefaultInDevOnlyAndTheSettingWins() {
        assertThat(PROD.allowMissingOpenAiKey(UNSET)).isFalse();
        assertThat(DEV.allowMissingOpenAiKey(UNSET)).isTrue();
        assertThat(TEST.allowMissingOpenAiKey(UNSET)).isFalse();
        assertThat(PROD.allowMissingOpenAiKey(Optional.of(true))).isTrue();
    }

    @Test
    void callersAreAnonymousByDefaultOutsideProdOnly() {
        assertThat(PROD.authMode(Optional.empty())).isEqualTo(AuthConfig.Mode.API_KEY);
        assertThat(DEV.authMode(Optional.empty())).isEqualTo(AuthConfig.Mode.NONE);
        assertThat(TEST.authMode(Optional.empty())).isEqualTo(AuthConfig.Mode.NONE);
        assertThat(DEV.authMode(Optional.of(AuthConfig.Mode.JWT))).isEqualTo(AuthConfig.Mode.JWT);
        assertThat(PROD.anonymousNeedsConsent()).isTrue();
        assertThat(DEV.anonymousNeedsConsent()).isFalse();
        assertThat(TEST.anonymousNeedsConsent()).isFalse();
    }

    @Test
    void tokenInDiagnosticsNeverInProd() {
        assertThat(PROD.showTokenInDiagnostics(Optional.of(true))).isFalse();
        assertThat(PROD.showTokenInDiagnostics(UNSET)).isFalse();
        assertThat(DEV.showTokenInDiagnostics(UNSET)).isTrue();
        assertThat(DEV.showTokenInDiagnostics(Optional.of(false))).isFalse();
        assertThat(TEST.showTokenInDiagnostics(UNSET)).isFalse();
        assertThat(TEST.showTokenInDiagnostics(Optional.of(true))).isTrue();
    }

    @Test
    void ticketSecretIsGeneratedOutsideProdOnly() {
        assertThat(PROD.mayGenerateTicketSecret()).isFalse();
        assertThat(DEV.mayGenerateTicketSecret()).isTrue();
        assertThat(TEST.mayGenerateTicketSecret()).isTrue();
    }

    @Test
    void preflightIsEnforcedByDefaultInProdOnlyAndTheSettingWins() {
        assertThat(PROD.enforcePreflight(UNSET)).isTrue();
        assertThat(DEV.enforcePreflight(UNSET)).isFalse();
        assertThat(TEST.enforcePreflight(UNSET)).isFalse();
        assertThat(PROD.enforcePreflight(Optional.of(false))).isFalse();
        assertThat(DEV.enforcePreflight(Optional.of(true))).isTrue();
    }

    @Test
    void profileNameForDiagnostics() {
        assertThat(PROD.profileName()).isEqualTo("prod");
        assertThat(DEV.profileName()).isEqualTo("dev");
        assertThat(TEST.profileName()).isEqualTo("test");
    }
}
