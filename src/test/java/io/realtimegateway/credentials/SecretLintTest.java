package io.realtimegateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretLintTest {

    private static final String CLEAN = "Kq3ZpV9xW2mN8rT5yB7cD1fG4hJ6kL0a";

    @Test
    void cleanValuePasses() {
        assertThat(SecretLint.formatProblem(CLEAN)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty|''|is empty",
            "carriage return|'\r'|line break (CR/LF)",
            "line feed|'\n'|line break (CR/LF)",
            "leading space|' '|has leading whitespace",
            "leading tab|'\t'|has leading whitespace",
            "trailing space|' '|has trailing whitespace",
            "double quotes|'\"'|wrapped in quotes",
            "single quotes|''''|wrapped in quotes",
            "smart quotes|'\u201C'|wrapped in quotes",
            "zero-width space|'\u200B'|invisible character U+200B",
            "byte order mark|'\uFEFF'|invisible character U+FEFF",
            "no-break space|'\u00A0'|invisible character U+00A0",
            "bell|'\u0007'|invisible character U+0007",
            "undecodable byte|'\uFFFD'|undecodable non-ASCII bytes",
            "accented letter|'\u00E9'|non-ASCII character U+00E9" })
    void findsDamage(String title, String damage, String expected) {
        String value;
        if (title.startsWith("leading")) {
            value = damage + CLEAN;
        } else if (title.startsWith("trailing") || title.equals("carriage return") || title.equals("line feed")) {
            value = CLEAN + damage;
        } else if (title.equals("empty")) {
            value = damage;
        } else if (title.contains("quotes")) {
            value = damage + CLEAN + damage;
        } else {
            value = CLEAN.substring(0, 10) + damage + CLEAN.substring(10);
        }
        assertThat(SecretLint.formatProblem(value)).hasValueSatisfying(p -> assertThat(p).contains(expected).doesNotContain(CLEAN));
    }

    @Test
    void invisibleCharacterPositionIsOneBased() {
        assertThat(SecretLint.formatProblem("ab\u200Bcd")).hasValue("contains an invisible character U+200B at position 3");
    }

    @Test
    void allDigits() {
        assertThat(SecretLint.isAllDigits("0123456789")).isTrue();
        assertThat(SecretLint.isAllDigits("0123456789a")).isFalse();
        assertThat(SecretLint.isAllDigits("")).isFalse();
        assertThat(SecretLint.isAllDigits(null)).isFalse();
    }

    @Test
    void printableEscapesInvisibleCharacters() {
        assertThat(SecretLint.printable("APIkey\r\n\u200B")).isEqualTo("APIkey\\u000D\\u000A\\u200B");
        assertThat(SecretLint.printable("ws://localhost:7880")).isEqualTo("ws://localhost:7880");
    }

    @Test
    void usableSecretIsUndamagedFirstThenLongEnough() {
        String floor = CLEAN;
        assertThat(SecretLint.secretProblem(floor)).isEmpty();
        assertThat(SecretLint.secretProblem(floor.substring(1))).hasValueSatisfying(p -> {
            assertThat(p.kind()).isEqualTo(SecretLint.SecretProblem.Kind.TOO_SHORT);
            assertThat(p.message()).isEqualTo("has 31 characters, under LiveKit's floor of 32 (the minimum for every gateway secret)");
        });
        assertThat(SecretLint.secretProblem("short ")).as("damage wins over length")
                .hasValue(new SecretLint.SecretProblem(SecretLint.SecretProblem.Kind.DAMAGED, "has trailing whitespace"));
        assertThat(SecretLint.secretProblem("")).hasValueSatisfying(p -> assertThat(p.kind()).isEqualTo(SecretLint.SecretProblem.Kind.DAMAGED));
        assertThat(SecretLint.minimumHint()).isEqualTo("at least 32 random characters");
    }

    /** Values anyone can read: published examples and dev values, and placeholders; named without quoting them. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "exampleSecretChangeMe0123456789abcdefGHIJ | this project's .env.example and livekit.yaml",
            "secret | livekit-server --dev",
            "devkey | livekit-server --dev",
            "secret1 | config-sample.yaml",
            "abababa | Kotlin SDK",
            "ek_68af296e8e408191a1120ab6383263c2 | OpenAI's Realtime docs",
            "changeme | a placeholder",
            "Change_Me | a placeholder",
            "CHANGEIT | a placeholder",
            "your_api_secret_here | a placeholder",
            "YOUR-OPENAI-API-KEY-HERE | a placeholder",
            "<openssl rand -base64 32> | a placeholder",
            "<PROJECT_SECRET> | a placeholder",
            "{{ livekit_secret }} | a placeholder",
            "$OPENAI_API_KEY | a placeholder",
            "${GATEWAY_REALTIME_TICKET_SECRET} | a placeholder",
            "xxx | a placeholder",
            "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX | a placeholder",
            "sk-... | a placeholder",
            "sk-proj-" + "xxxxxxxxxxxxxxxxxxxxxxxx | a placeholder",
            "sk-**** | a placeholder",
            "myPlaceholderValue0123456789abcdefghij | a placeholder",
            "password | a placeholder",
            "your-secret-here | a placeholder" })
    void publicValuesAreNamed(String value, String what) {
        assertThat(SecretLint.publicValue(value)).hasValueSatisfying(p -> {
            assertThat(p).contains(what);
            if (value.length() >= 10) { // "secret" and "devkey" are words of the descriptions too
                assertThat(p).doesNotContain(value);
            }
        });
        assertThat(SecretLint.secretProblem(value)).hasValueSatisfying(p -> {
            assertThat(p.kind()).isEqualTo(SecretLint.SecretProblem.Kind.PUBLIC);
            assertThat(p.message()).startsWith("is public: ").contains(what).endsWith("anyone can use it, so it protects nothing");
        });
    }

    @ParameterizedTest
    @CsvSource({ CLEAN, "sk-proj-" + "Kq3ZpV9xW2mN8rT5yB7cD1fG4hJ6kL0a", "Y2hhbmdlIG1lIHRvbyBwbGVhc2U/K3pQ+qv8ZbW1lUs=", "APIgateway",
            "quarkus-test-livekit-secret-0123456789abcdef", "prefix${HOME}suffix0123456789abcdefghij" })
    void generatedValuesAreNotPublic(String value) {
        assertThat(SecretLint.publicValue(value)).isEmpty();
    }

    @Test
    void theGenerateCommandIsOneAndGivesAUsableSecret() {
        assertThat(SecretLint.GENERATE).isEqualTo("openssl rand -base64 32");
        assertThat(SecretLint.generateHint()).isEqualTo("generate one with: openssl rand -base64 32");
    }
}
