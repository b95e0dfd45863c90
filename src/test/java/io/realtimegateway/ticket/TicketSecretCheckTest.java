package io.realtimegateway.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.realtimegateway.config.Environment;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.testing.Environments;

/** The ticket-secret check: required in prod, linted, shown only as a fingerprint. */
class TicketSecretCheckTest {

    private static final Environment PROD = Environments.PROD;
    private static final Environment DEV = Environments.DEV;

    @Test
    void ticketSecretIsRequiredInProdAndLinted() {
        String good = "0123456789abcdefghijklmnopqrstuvwxyz";
        assertThat(TicketSecretCheck.check(true, Optional.empty(), PROD).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(TicketSecretCheck.check(true, Optional.empty(), DEV).status()).isEqualTo(CheckStatus.OK);
        assertThat(TicketSecretCheck.check(false, Optional.empty(), PROD).status()).isEqualTo(CheckStatus.OK);
        assertThat(TicketSecretCheck.check(true, Optional.of("tooShort-0123456789"), PROD).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(TicketSecretCheck.check(true, Optional.of(good + "\n"), DEV).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(TicketSecretCheck.check(true, Optional.of(good), PROD).status()).isEqualTo(CheckStatus.OK);
        CheckResult placeholder = TicketSecretCheck.check(true, Optional.of("change-me-change-me-change-me-change-me"), PROD);
        assertThat(placeholder.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(placeholder.message()).contains("is public: a placeholder").doesNotContain("change-me");
        assertThat(placeholder.fix()).contains("$(openssl rand -base64 32)");
        // the secret itself never appears, only its fingerprint
        assertThat(TicketSecretCheck.check(true, Optional.of(good), PROD).message()).doesNotContain(good).contains("sha256:");
        assertThat(TicketSecretCheck.check(true, Optional.of("tooShort-0123456789"), PROD).message()).doesNotContain("tooShort");
    }
}
