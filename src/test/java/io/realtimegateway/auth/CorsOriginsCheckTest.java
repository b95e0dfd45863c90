package io.realtimegateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.realtimegateway.auth.AuthConfig.Mode;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;

class CorsOriginsCheckTest {

    /** The check with no profile default (what an unset GATEWAY_CORS_ORIGINS falls back to in prod). */
    private static CheckResult evaluate(Optional<String> raw, boolean allowAnyOrigin, boolean relayAnyOrigin, Mode mode, boolean prod) {
        return CorsOriginsCheck.evaluate(raw, allowAnyOrigin, relayAnyOrigin, mode, prod, List.of());
    }

    private static CheckResult prod(String origins, Mode mode) {
        return evaluate(Optional.ofNullable(origins), false, false, mode, true);
    }

    @Test
    void unsetMeansSameOriginOnly() {
        CheckResult result = prod(null, Mode.JWT);
        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(result.name()).isEqualTo("http.cors-origins");
        assertThat(result.message()).contains("own origin only");
        assertThat(CorsOriginsCheck.evaluate(Optional.empty(), false, false, Mode.NONE, false, List.of("/http://localhost(:[0-9]+)?/"))
                .message()).contains("profile's default allows /http://localhost");
    }

    @Test
    void bareOriginsPassInJwtMode() {
        CheckResult result = prod("https://app.example.com,http://localhost:3000,http://127.0.0.1:5173,http://[::1]:8080", Mode.JWT);
        assertThat(result.status()).as(result.message()).isEqualTo(CheckStatus.OK);
        assertThat(result.message()).contains("4 origin(s)", "https://app.example.com", "http://localhost:3000");
    }

    @Test
    void originsInApiKeyModeWarnThatTheKeysWouldSitInBrowsers() {
        CheckResult result = prod("https://app.example.com", Mode.API_KEY);
        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.message()).contains("api-key", "every visitor");
        assertThat(result.fix()).contains("GATEWAY_AUTH_MODE=jwt", "server-to-server");
    }

    @Test
    void aTrailingSlashFailsNamingTheEntryAndTheFix() {
        CheckResult result = prod("http://localhost:3000,https://app.example.com/", Mode.JWT);
        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).contains("entry #2 'https://app.example.com/' has a trailing slash").doesNotContain("entry #1");
        assertThat(result.fix()).contains("write https://app.example.com/ as https://app.example.com");
    }

    @Test
    void everyKindOfDamageIsNamed() {
        assertFault("https://app.example.com/login", "has a path", "as https://app.example.com");
        assertFault("https://app.example.com?x=1", "query or fragment", "as https://app.example.com");
        assertFault(" https://app.example.com", "leading whitespace", "without spaces");
        assertFault("https://app.example.com ", "trailing whitespace", "without spaces");
        assertFault("\"https://app.example.com\"", "quotes", "without spaces, quotes");
        assertFault("https://app.exa\u200Bmple.com", "invisible character U+200B", "invisible");
        assertFault("https://app.example.com\r", "line break", "without spaces");
        assertFault("", "is empty", "remove the empty entry");
        assertFault("app.example.com", "is not an origin", "https://app.example.com");
        assertFault("wss://app.example.com", "uses wss://", "https://app.example.com");
        assertFault("https://", "no valid host", "e.g.");
        assertFault("https://user@app.example.com", "user info", "scheme://host[:port]");
        assertFault("https://app.example.com:99999", "invalid port", "1 to 65535");
        assertFault("https://app.example.com:443", "default port", "as https://app.example.com");
        assertFault("http://localhost:80", "default port", "as http://localhost");
        assertFault("https://App.Example.com", "upper-case", "as https://app.example.com");
        assertFault("/https://.*\\.example\\.com/", "regular expression", "list each origin");
        assertThat(CorsOriginsCheck.fault("https://app.example.com:8443")).isEmpty();
        assertThat(CorsOriginsCheck.fault("http://localhost:3000")).isEmpty();
    }

    @Test
    void spacesAfterCommasFailBecauseQuarkusWouldNotMatchThem() {
        CheckResult result = prod("https://a.example.com, https://b.example.com", Mode.JWT);
        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).contains("entry #2", "leading whitespace");
        CheckResult trailingComma = prod("https://a.example.com,", Mode.JWT);
        assertThat(trailingComma.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(trailingComma.message()).contains("entry #2", "is empty");
    }

    @Test
    void anyOriginIsRefusedInProdUnlessAllowedAndThenWarns() {
        assertThat(prod("*", Mode.JWT).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(prod("*", Mode.JWT).fix()).contains("GATEWAY_CORS_ALLOW_ANY_ORIGIN=true");
        CheckResult allowed = evaluate(Optional.of("*"), true, false, Mode.JWT, true);
        assertThat(allowed.status()).isEqualTo(CheckStatus.WARN);
        assertThat(allowed.message()).contains("any website");
        assertThat(evaluate(Optional.of("*"), false, false, Mode.NONE, false).status()).isEqualTo(CheckStatus.WARN);
        assertThat(prod("*,https://app.example.com", Mode.JWT).status()).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void theRelaySwitchIsReported() {
        assertThat(evaluate(Optional.of("https://app.example.com"), false, true, Mode.JWT, true).message())
                .contains("GATEWAY_CORS_RELAY_ANY_ORIGIN=true");
    }

    private static void assertFault(String entry, String problem, String fix) {
        Optional<CorsOriginsCheck.Fault> fault = CorsOriginsCheck.fault(entry);
        assertThat(fault).as(entry).isPresent();
        assertThat(fault.get().problem()).as(entry).contains(problem);
        assertThat(fault.get().fix()).as(entry).contains(fix);
    }
}
