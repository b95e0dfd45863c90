package io.realtimegateway.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.realtimegateway.preflight.PreflightConfig.Unreachable;

/** The shared retry and unreachable policy of the online checks, without a server. */
class OnlineProbeTest {

    private static final OnlineProbe FAILS = new OnlineProbe(3, Duration.ofMillis(1), Unreachable.FAIL);
    private static final OnlineProbe WARNS = new OnlineProbe(2, Duration.ofMillis(1), Unreachable.WARN);

    @Test
    void anAnswerStopsTheRetries() {
        AtomicInteger calls = new AtomicInteger();
        OnlineProbe.Result<String> result = FAILS.run(() -> calls.incrementAndGet() < 2 ? OnlineProbe.retry("HTTP 503") : OnlineProbe.answered("200"));
        assertThat(result).isEqualTo(new OnlineProbe.Answered<>("200"));
        assertThat(calls).hasValue(2);
    }

    @Test
    void retriesAreBoundedAndTheLastFailureIsWorded() {
        AtomicInteger calls = new AtomicInteger();
        OnlineProbe.Result<String> result = FAILS.run(() -> {
            calls.incrementAndGet();
            throw new IOException("wrapped", new ConnectException("Connection refused: secret-host-detail"));
        });
        assertThat(calls).hasValue(3);
        assertThat(result).isEqualTo(new OnlineProbe.Unreachable<>("connection refused after 3 attempt(s)"));
    }

    @Test
    void atLeastOneAttempt() {
        AtomicInteger calls = new AtomicInteger();
        new OnlineProbe(0, Duration.ZERO, Unreachable.FAIL).run(() -> {
            calls.incrementAndGet();
            return OnlineProbe.retry("HTTP 500");
        });
        assertThat(calls).hasValue(1);
    }

    @Test
    void interruptionEndsTheRetries() {
        OnlineProbe.Result<String> result = FAILS.run(() -> {
            throw new InterruptedException();
        });
        assertThat(result).isEqualTo(new OnlineProbe.Unreachable<>("interrupted"));
        assertThat(Thread.interrupted()).as("the interrupt is kept (and cleared here)").isTrue();
    }

    @Test
    void unreachableFailsOrWarnsAsConfigured() {
        OnlineProbe.Unreachable<String> down = new OnlineProbe.Unreachable<>("timed out after 3 attempt(s)");
        CheckResult fail = FAILS.unreachable("x.server", "X", "http://x/api", down, "Check X_URL");
        assertThat(fail.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(fail.message()).isEqualTo("X unreachable at http://x/api (timed out after 3 attempt(s))");
        assertThat(fail.fix()).startsWith("Check X_URL").contains("GATEWAY_PREFLIGHT_UNREACHABLE=warn");
        CheckResult warn = WARNS.unreachable("x.server", "X", "http://x/api", down, "Check X_URL");
        assertThat(warn.status()).isEqualTo(CheckStatus.WARN);
        assertThat(warn.message()).contains("serving anyway (gateway.preflight.unreachable=warn)").contains("gateway.preflight.unreachable=warn");
        assertThat(WARNS.unreachableWarns()).isTrue();
        assertThat(FAILS.unreachableWarns()).isFalse();
    }
}
