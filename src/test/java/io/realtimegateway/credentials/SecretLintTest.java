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
        String floor = "x".repeat(SecretLint.MIN_SECRET_LENGTH);
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
}
