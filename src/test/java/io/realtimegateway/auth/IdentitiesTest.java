package io.realtimegateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdentitiesTest {

    @Test
    void controlCharactersAndLineSeparatorsAreRefused() {
        for (String forging : new String[] {"a\rb", "a\nb", "a\tb", "a\u0000b", "a\u007Fb", "a\u0085b", "a\u2028b", "a\u2029b"}) {
            assertThat(Identities.hasControlCharacter(forging)).as("%s", Identities.loggable(forging)).isTrue();
        }
        for (String fine : new String[] {"alice", "alice smith", "user-123@example.com", "Zoë", "api-key:1a2b3c4d", ""}) {
            assertThat(Identities.hasControlCharacter(fine)).as(fine).isFalse();
        }
        assertThat(Identities.hasControlCharacter(null)).isFalse();
    }

    @Test
    void loggedIdentitiesStayOnTheirLine() {
        assertThat(Identities.loggable("mallory\r\nINFO forged\u2028line")).isEqualTo("mallory\\u000D\\u000AINFO forged\\u2028line");
        assertThat(Identities.loggable("alice")).isEqualTo("alice");
        assertThat(Identities.loggable(null)).isEqualTo("null");
    }
}
