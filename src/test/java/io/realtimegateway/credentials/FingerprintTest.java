package io.realtimegateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FingerprintTest {

    @Test
    void lengthAndSha256PrefixLikeSha256sum() {
        // printf %s secret | sha256sum -> 2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b
        assertThat(Fingerprint.of("secret")).isEqualTo("len=6 sha256:2bb80d53");
        assertThat(Fingerprint.of(null)).isEqualTo("<unset>");
    }
}
