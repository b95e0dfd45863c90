package io.realtimegateway.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.realtimegateway.preflight.CheckStatus;

/** The ticket-secret check: required in prod, linted, shown only as a fingerprint. */
class TicketSecretCheckTest {

    @Test
    void ticketSecretIsRequiredInProdAndLinted() {
        String good = "0123456789abcdefghijklmnopqrstuvwxyz";
        assertThat(TicketSecretCheck.check(true, Optional.empty(), false).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(TicketSecretCheck.check(true, Optional.empty(), true).status()).isEqualTo(CheckStatus.OK);
        assertThat(TicketSecretCheck.check(false, Optional.empty(), false).status()).isEqualTo(CheckStatus.OK);
        assertThat(TicketSecretCheck.check(true, Optional.of("tooShort-0123456789"), false).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(TicketSecretCheck.check(true, Optional.of(good + "\n"), true).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(TicketSecretCheck.check(true, Optional.of(good), false).status()).isEqualTo(CheckStatus.OK);
        // the secret itself never appears, only its fingerprint
        assertThat(TicketSecretCheck.check(true, Optional.of(good), false).message()).doesNotContain(good).contains("sha256:");
        assertThat(TicketSecretCheck.check(true, Optional.of("tooShort-0123456789"), false).message()).doesNotContain("tooShort");
    }
}
