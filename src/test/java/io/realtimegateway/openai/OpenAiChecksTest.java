package io.realtimegateway.openai;

import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;

import static io.realtimegateway.testing.Reports.assertNoSecret;
import static io.realtimegateway.testing.Reports.result;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.realtimegateway.credentials.OpenAiCredentials;

class OpenAiChecksTest {

    private static final String KEY = "sk-proj-" + "Kq3ZpV9xW2mN8rT5yB7cD1fG4hJ6kL0a";
    private static final String BASE = "https://api.openai.com/v1";

    @Test
    void validKeyTurnsTheRelayOn() {
        OpenAiCredentials credentials = new OpenAiCredentials(Optional.of(KEY), BASE, Optional.empty(), Optional.empty(), true, false);
        List<CheckResult> results = new OpenAiChecks(credentials).run();
        assertThat(credentials.relayEnabled()).isTrue();
        assertThat(results).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(CheckStatus.OK));
        assertThat(result(results, OpenAiChecks.API_KEY).message()).contains("relay is ON").contains("len=40 sha256:");
        assertNoSecret(results, KEY);
    }

    @Test
    void placeholderKeysAreRefused() {
        for (String placeholder : List.of("sk-proj-" + "xxxxxxxxxxxxxxxxxxxxxxxx", "sk-...", "your_openai_api_key_here", "<OPENAI_API_KEY>")) {
            CheckResult result = result(run(Optional.of(placeholder), BASE, true, false), OpenAiChecks.API_KEY_FORMAT);
            assertThat(result.status()).as(placeholder).isEqualTo(CheckStatus.FAIL);
            assertThat(result.message()).startsWith("OPENAI_API_KEY is public: a placeholder").doesNotContain(placeholder);
            assertThat(result.fix()).contains("platform.openai.com/api-keys");
        }
    }

    @Test
    void missingKeyFailsInProd() {
        CheckResult result = result(run(Optional.empty(), BASE, true, false), OpenAiChecks.API_KEY);
        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.fix()).isEqualTo("set OPENAI_API_KEY or GATEWAY_REALTIME_ENABLED=false");
    }

    @Test
    void missingKeyWarnsThatTheRelayIsOffWhenAllowed() {
        // gateway.openai.allow-missing-key is on in the dev profile: EnvironmentTest.devAndTestProfilesTakeTheShortcuts.
        OpenAiCredentials credentials = new OpenAiCredentials(Optional.empty(), BASE, Optional.empty(), Optional.empty(), true, true);
        CheckResult result = result(new OpenAiChecks(credentials).run(), OpenAiChecks.API_KEY);
        assertThat(credentials.relayEnabled()).isFalse();
        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.message()).contains("the Realtime relay is OFF");
    }

    @Test
    void disabledRelayNeedsNoKey() {
        assertThat(result(run(Optional.empty(), BASE, false, false), OpenAiChecks.API_KEY).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void adminKeyFails() {
        String admin = "sk-admin-" + "Kq3ZpV9xW2mN8rT5yB7cD1fG4hJ6kL0a";
        List<CheckResult> results = run(Optional.of(admin), BASE, true, false);
        assertThat(result(results, OpenAiChecks.API_KEY_FORMAT).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result(results, OpenAiChecks.API_KEY_FORMAT).message()).contains("admin key");
        assertNoSecret(results, admin);
    }

    @Test
    void nonSkKeysFail() {
        assertThat(result(run(Optional.of("ek_68af3b2c9d"), BASE, true, false), OpenAiChecks.API_KEY_FORMAT).message())
                .contains("ephemeral client secret");
        assertThat(result(run(Optional.of("Kq3ZpV9xW2mN8rT5yB7c"), BASE, true, false), OpenAiChecks.API_KEY_FORMAT).message())
                .contains("not an OpenAI API key");
    }

    @Test
    void damagedKeyFails() {
        CheckResult result = result(run(Optional.of("'" + KEY + "'"), BASE, true, false), OpenAiChecks.API_KEY_FORMAT);
        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).contains("quotes");
    }

    @Test
    void baseUrlMustBeHttp() {
        assertThat(result(run(Optional.of(KEY), "http://127.0.0.1:9999/v1", true, false), OpenAiChecks.BASE_URL).status()).isEqualTo(CheckStatus.OK);
        for (String bad : List.of("wss://api.openai.com/v1", "api.openai.com/v1", "https:///v1", "https://api.openai.com/v1 ")) {
            CheckResult result = result(run(Optional.of(KEY), bad, true, false), OpenAiChecks.BASE_URL);
            assertThat(result.status()).as(bad).isEqualTo(CheckStatus.FAIL);
            assertThat(result.fix()).contains("https://api.openai.com/v1");
        }
    }

    private static List<CheckResult> run(Optional<String> key, String baseUrl, boolean enabled, boolean allowMissing) {
        return new OpenAiChecks(new OpenAiCredentials(key, baseUrl, Optional.empty(), Optional.empty(), enabled,
                allowMissing)).run();
    }
}
