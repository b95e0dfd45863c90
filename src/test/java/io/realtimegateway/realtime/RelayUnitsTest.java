package io.realtimegateway.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.realtimegateway.config.RealtimeConfig;
import io.realtimegateway.preflight.CheckStatus;

/** Pure units of the relay: close-code mapping, the ticket-secret check. */
class RelayUnitsTest {

    @Test
    void reservedCodesBecome1011AndOthersAreMirrored() {
        for (int reserved : new int[] {1005, 1006, 1015, 999, 1004}) {
            assertThat(CloseCodes.fromUpstream(reserved, "x").getCode()).isEqualTo(1011);
        }
        for (int code : new int[] {1000, 1001, 1008, 1011, 3000, 4000, 4999}) {
            assertThat(CloseCodes.fromUpstream(code, "r").getCode()).isEqualTo(code);
            assertThat(CloseCodes.fromUpstream(code, "r").getMessage()).isEqualTo("r");
        }
        assertThat(CloseCodes.fromClient(1006, null).getCode()).isEqualTo(1001);
    }

    @Test
    void reasonsAreCutTo123BytesWithoutSplittingACharacter() {
        String reason = "é".repeat(100); // 200 bytes
        String cut = CloseCodes.truncate(reason);
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(cut).isEqualTo("é".repeat(61));
        assertThat(CloseCodes.truncate("short")).isEqualTo("short");
    }

    @Test
    void sessionCapsCountPerIdentityAndInTotal() {
        RealtimeConfig config = (RealtimeConfig) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {RealtimeConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "maxSessions" -> 3;
                    case "maxSessionsPerIdentity" -> 2;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        SessionLimiter limiter = new SessionLimiter(config);
        assertThat(limiter.tryAcquire("alice")).isNull();
        assertThat(limiter.tryAcquire("alice")).isNull();
        assertThat(limiter.tryAcquire("alice")).isEqualTo("max_sessions_per_identity");
        assertThat(limiter.tryAcquire("bob")).isNull();
        assertThat(limiter.tryAcquire("carol")).isEqualTo("max_sessions");
        limiter.release("alice");
        assertThat(limiter.tryAcquire("carol")).isNull();
        assertThat(limiter.tryAcquire("alice")).isEqualTo("max_sessions");
    }

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
