package io.realtimegateway.livekit;

import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;

import static io.realtimegateway.testing.Reports.assertNoSecret;
import static io.realtimegateway.testing.Reports.result;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.realtimegateway.credentials.LiveKitConfig;
import io.realtimegateway.credentials.LiveKitCredentials;
import io.realtimegateway.testing.Secrets;

class LiveKitChecksTest {

    private static final String KEY = "APIgateway";
    private static final String SECRET = Secrets.random(32);
    private static final String URL = "wss://livekit.example.com";

    @Test
    void validPairIsAllOk() {
        List<CheckResult> results = run(pair(KEY, SECRET));
        assertThat(results).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(CheckStatus.OK));
        assertThat(results).extracting(CheckResult::name).containsExactly(LiveKitChecks.PRESENT, LiveKitChecks.KEYS_FORMAT,
                LiveKitChecks.CONFIG_FILE, LiveKitChecks.KEY_FILE_PERMISSIONS, LiveKitChecks.API_KEY_FORMAT, LiveKitChecks.SECRET_FORMAT,
                LiveKitChecks.SECRET_PUBLIC, LiveKitChecks.SECRET_LENGTH, LiveKitChecks.SECRET_DIGITS, LiveKitChecks.AGREE, LiveKitChecks.SIGNING_KEY, LiveKitChecks.URL);
        assertThat(result(results, LiveKitChecks.URL).message()).contains("server API https://livekit.example.com");
        assertNoSecret(results, SECRET);
    }

    @Test
    void noKeysQuotesLiveKit() {
        CheckResult present = result(run(new Sources()), LiveKitChecks.PRESENT);
        assertThat(present.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(present.message()).contains("one of key-file or keys must be provided");
    }

    @Test
    void halfAPairFails() {
        Sources sources = new Sources();
        sources.apiKey = Optional.of(KEY);
        assertThat(result(run(sources), LiveKitChecks.PRESENT).message()).contains("LIVEKIT_API_KEY is set but LIVEKIT_API_SECRET is not");
    }

    @Test
    void shortSecretFailsInProdAndWarnsLoudlyWhenAllowed() {
        CheckResult prod = result(run(pair(KEY, "abcdefghij")), LiveKitChecks.SECRET_LENGTH);
        assertThat(prod.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(prod.message()).contains("10 characters").contains("floor of 32").doesNotContain("abcdefghij");
        Sources prodAllowed = pair("devkey", "secret");
        prodAllowed.allowWeak = true;
        CheckResult warned = result(run(prodAllowed), LiveKitChecks.SECRET_LENGTH);
        assertThat(warned.status()).isEqualTo(CheckStatus.WARN);
        assertThat(warned.message()).contains("WEAK SECRET ALLOWED");
    }

    @Test
    void liveKitsDevPairIsPublicFailingUnlessWeakSecretsAreAllowed() {
        CheckResult prod = result(run(pair("devkey", "secret")), LiveKitChecks.SECRET_PUBLIC);
        assertThat(prod.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(prod.message()).startsWith("secret of key devkey from LIVEKIT_API_KEY/LIVEKIT_API_SECRET is public: LiveKit's dev secret")
                .contains("len=6 sha256:");
        assertThat(prod.fix()).contains("LIVEKIT_API_SECRET (.env under docker compose)").contains("openssl rand -base64 32");
        // gateway.livekit.allow-weak-secret is on in the dev profile only: EnvironmentTest.devAndTestProfilesTakeTheShortcuts.
        Sources dev = pair("devkey", "secret");
        dev.allowWeak = true;
        List<CheckResult> devResults = run(dev);
        assertThat(result(devResults, LiveKitChecks.SECRET_PUBLIC).status()).isEqualTo(CheckStatus.WARN);
        assertThat(result(devResults, LiveKitChecks.SECRET_PUBLIC).message()).startsWith("WEAK SECRET ALLOWED");
        assertThat(result(devResults, LiveKitChecks.SECRET_LENGTH).status()).as("short too").isEqualTo(CheckStatus.WARN);
    }

    @Test
    void theProjectsFormerExampleSecretIsPublicEvenAtFullLength() {
        String former = "exampleSecretChangeMe0123456789abcdefGHIJ";
        List<CheckResult> results = run(pair("APIexampleChangeMe", former));
        CheckResult known = result(results, LiveKitChecks.SECRET_PUBLIC);
        assertThat(known.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(known.message()).contains("this project's .env.example and livekit.yaml");
        assertThat(result(results, LiveKitChecks.SECRET_LENGTH).status()).isEqualTo(CheckStatus.OK);
        assertNoSecret(results, former);
    }

    @Test
    void theShippedLiveKitYamlIsRefusedNamingTheFile() {
        Path shipped = Path.of("livekit.yaml").toAbsolutePath(); // tests run in the project directory
        Sources sources = new Sources();
        sources.configFile = Optional.of(shipped.toString());
        CheckResult known = result(run(sources), LiveKitChecks.SECRET_PUBLIC);
        assertThat(known.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(known.message()).contains("from livekit.yaml (" + shipped + ") line").contains("is public: a placeholder");
        assertThat(known.fix()).contains("in livekit.yaml (" + shipped + "): generate one with: openssl rand -base64 32");
    }

    @Test
    void aPlaceholderInLiveKitKeysNamesLiveKitKeys() {
        Sources sources = new Sources();
        sources.keys = Optional.of("APIgateway: your_api_secret_here");
        CheckResult known = result(run(sources), LiveKitChecks.SECRET_PUBLIC);
        assertThat(known.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(known.message()).contains("from LIVEKIT_KEYS line 1 is public");
        assertThat(known.fix()).contains("in LIVEKIT_KEYS: generate one with");
    }

    @Test
    void exactly32CharactersIsEnough() {
        assertThat(result(run(pair(KEY, SECRET)), LiveKitChecks.SECRET_LENGTH).status()).isEqualTo(CheckStatus.OK);
        assertThat(result(run(pair(KEY, SECRET.substring(1))), LiveKitChecks.SECRET_LENGTH).status()).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void secretDamageFailsWithFingerprint() {
        List<CheckResult> results = run(pair(KEY, SECRET + "\r"));
        CheckResult format = result(results, LiveKitChecks.SECRET_FORMAT);
        assertThat(format.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(format.message()).contains("line break").contains("len=33 sha256:");
        assertThat(format.fix()).contains("sha256sum");
        assertNoSecret(results, SECRET);
    }

    @Test
    void apiKeyDamageFails() {
        CheckResult format = result(run(pair(KEY + " ", SECRET)), LiveKitChecks.API_KEY_FORMAT);
        assertThat(format.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(format.message()).contains("trailing whitespace");
    }

    @Test
    void allDigitSecretFails() {
        String digits = "12345678901234567890123456789012";
        List<CheckResult> results = run(pair(KEY, digits));
        assertThat(result(results, LiveKitChecks.SECRET_DIGITS).status()).isEqualTo(CheckStatus.FAIL);
        assertNoSecret(results, digits);
    }

    @Test
    void malformedKeysLineFails() {
        Sources sources = new Sources();
        sources.keys = Optional.of(KEY + ": " + SECRET + "\nAPIother:" + SECRET);
        List<CheckResult> results = run(sources);
        assertThat(result(results, LiveKitChecks.KEYS_FORMAT).message()).contains("line 2");
        assertThat(result(results, LiveKitChecks.KEYS_FORMAT).status()).isEqualTo(CheckStatus.FAIL);
        assertNoSecret(results, SECRET);
    }

    @Test
    void sameKeyDifferentSecretsDisagree() {
        Sources sources = pair(KEY, SECRET);
        sources.keys = Optional.of(KEY + ": " + SECRET.toUpperCase());
        CheckResult agree = result(run(sources), LiveKitChecks.AGREE);
        assertThat(agree.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(agree.message()).contains("different secrets").contains("LIVEKIT_API_KEY/LIVEKIT_API_SECRET").contains("LIVEKIT_KEYS line 1");
    }

    @Test
    void signingKeyMissingFromLiveKitYaml(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("livekit.yaml");
        Files.writeString(yaml, "keys:\n  APIserver: " + SECRET + "\n");
        Sources sources = pair(KEY, SECRET);
        sources.configFile = Optional.of(yaml.toString());
        CheckResult agree = result(run(sources), LiveKitChecks.AGREE);
        assertThat(agree.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(agree.message()).contains("signing key APIgateway").contains("[APIserver]").contains("\"invalid API key\"");
    }

    @Test
    void liveKitYamlAloneSuppliesTheKeys(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("livekit.yaml");
        Files.writeString(yaml, "keys:\n  APIserver: " + SECRET + "\n");
        Sources sources = new Sources();
        sources.configFile = Optional.of(yaml.toString());
        LiveKitCredentials credentials = sources.credentials();
        assertThat(credentials.signingKey()).hasValueSatisfying(k -> assertThat(k.apiKey()).isEqualTo("APIserver"));
        assertThat(new LiveKitChecks(credentials).run()).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(CheckStatus.OK));
    }

    @Test
    void unknownSigningKeyFails() {
        Sources sources = pair(KEY, SECRET);
        sources.signingKey = Optional.of("APInope");
        assertThat(result(run(sources), LiveKitChecks.SIGNING_KEY).status()).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void urlRules() {
        assertUrl(Optional.empty(), "LIVEKIT_URL is not set", "set LIVEKIT_URL");
        assertUrl(Optional.of("http://localhost:7880"), "uses http://", "use ws:// or wss://; the gateway derives http(s) for the server API (here: ws://localhost:7880)");
        assertUrl(Optional.of("https://lk.example.com"), "uses https://", "wss://lk.example.com");
        assertUrl(Optional.of("ftp://lk.example.com"), "the scheme ftp://", "use ws:// or wss://");
        assertUrl(Optional.of("localhost:7880"), "scheme", "use ws:// or wss://");
        assertUrl(Optional.of("wss://lk.example.com "), "trailing whitespace", "without quotes");
        assertUrl(Optional.of("wss:///path"), "has no host", "wss://livekit.example.com");
    }

    @Test
    void apiUrlIsTheHttpFormOfTheUrl() {
        Sources sources = pair(KEY, SECRET);
        sources.url = Optional.of("ws://localhost:7880");
        assertThat(sources.credentials().apiUrl()).hasValue("http://localhost:7880");
        sources.url = Optional.of("wss://lk.example.com");
        assertThat(sources.credentials().apiUrl()).hasValue("https://lk.example.com");
    }

    private static void assertUrl(Optional<String> url, String fault, String fix) {
        Sources sources = pair(KEY, SECRET);
        sources.url = url;
        CheckResult result = result(run(sources), LiveKitChecks.URL);
        assertThat(result.status()).as(url.toString()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).contains(fault);
        assertThat(result.fix()).contains(fix);
    }

    private static List<CheckResult> run(Sources sources) {
        return new LiveKitChecks(sources.credentials()).run();
    }

    private static Sources pair(String key, String secret) {
        Sources sources = new Sources();
        sources.apiKey = Optional.of(key);
        sources.apiSecret = Optional.of(secret);
        return sources;
    }

    /** Raw settings as an operator would give them. */
    static final class Sources {
        Optional<String> url = Optional.of(URL);
        Optional<String> apiKey = Optional.empty();
        Optional<String> apiSecret = Optional.empty();
        Optional<String> keys = Optional.empty();
        Optional<String> configFile = Optional.empty();
        Optional<String> signingKey = Optional.empty();
        boolean allowWeak;

        LiveKitCredentials credentials() {
            LiveKitConfig config = new LiveKitConfig() {
                public Optional<String> url() {
                    return url;
                }

                public Optional<String> apiUrl() {
                    return Optional.empty();
                }

                public Optional<String> apiKey() {
                    return apiKey;
                }

                public Optional<String> apiSecret() {
                    return apiSecret;
                }

                public Optional<String> keys() {
                    return keys;
                }

                public Optional<String> configFile() {
                    return configFile;
                }

                public Optional<String> signingKey() {
                    return signingKey;
                }

                public boolean allowWeakSecret() {
                    return allowWeak;
                }
            };
            return new LiveKitCredentials(config, url, apiKey, apiSecret, keys, configFile, Map.of());
        }
    }
}
