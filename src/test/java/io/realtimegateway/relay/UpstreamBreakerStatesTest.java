package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import io.realtimegateway.realtime.RealtimeConfig;
import io.realtimegateway.testing.LogCapture;
import io.realtimegateway.testing.StepClock;

/** The breaker's states on a clock the test moves: when it opens, one probe at a time, the bounded backoff, closing. */
class UpstreamBreakerStatesTest {

    private static final String URL = "ws://127.0.0.1:1/v1/realtime?model=gpt-realtime";

    private final StepClock clock = new StepClock();

    private UpstreamBreaker breaker(int threshold) {
        RealtimeConfig.UpstreamBreaker settings = new RealtimeConfig.UpstreamBreaker() {
            @Override
            public int failureThreshold() {
                return threshold;
            }

            @Override
            public Duration initialBackoff() {
                return Duration.ofSeconds(1);
            }

            @Override
            public Duration maxBackoff() {
                return Duration.ofSeconds(5);
            }
        };
        return new UpstreamBreaker(RelayUnitsTest.config(Map.of("upstreamBreaker", settings, "upstreamConnectTimeout", Duration.ofSeconds(10))), clock);
    }

    private void fail(UpstreamBreaker breaker) {
        breaker.failed("agent", URL, "upstream unreachable (connection refused)", true);
    }

    @Test
    void opensAfterTheThresholdAndLetsOneProbeThroughAtATime() {
        UpstreamBreaker breaker = breaker(2);
        fail(breaker);
        assertThat(breaker.refusal()).isEmpty();
        fail(breaker);
        assertThat(breaker.refusal()).hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(breaker.refusal()).as("the probe").isEmpty();
        assertThat(breaker.refusal()).as("while the probe connects").hasValue(1);
        breaker.connected(URL);
        assertThat(breaker.refusal()).isEmpty();
        assertThat(breaker.refusal()).isEmpty();
    }

    @Test
    void eachFailedProbeDoublesTheWaitUpToTheMaximum() {
        UpstreamBreaker breaker = breaker(1);
        fail(breaker);
        long[] waits = new long[5];
        for (int i = 0; i < waits.length; i++) {
            OptionalLong wait = breaker.refusal();
            waits[i] = wait.orElseThrow();
            clock.advance(Duration.ofSeconds(waits[i]));
            assertThat(breaker.refusal()).as("probe " + i).isEmpty();
            fail(breaker);
        }
        assertThat(waits).containsExactly(1, 2, 4, 5, 5);
        // A probe that connects resets the backoff: the next outage starts at the initial wait again.
        clock.advance(Duration.ofSeconds(5));
        assertThat(breaker.refusal()).isEmpty();
        breaker.connected(URL);
        fail(breaker);
        assertThat(breaker.refusal()).hasValue(1);
    }

    @Test
    void aProbeThatNeverReportsFreesItsSlotAfterTheConnectTimeout() {
        UpstreamBreaker breaker = breaker(1);
        fail(breaker);
        clock.advance(Duration.ofSeconds(1));
        assertThat(breaker.refusal()).as("the probe (its session is then refused by a later step, and never dials)").isEmpty();
        clock.advance(Duration.ofSeconds(10));
        assertThat(breaker.refusal()).as("still within the probe's time").hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(breaker.refusal()).as("a new probe").isEmpty();
    }

    @Test
    void aHandshakeTheUpstreamAnsweredIsNoOutage() {
        UpstreamBreaker breaker = breaker(1);
        breaker.failed("agent", URL, "upstream refused the handshake (HTTP 401)", false);
        assertThat(breaker.refusal()).isEmpty();
        fail(breaker);
        clock.advance(Duration.ofSeconds(1));
        assertThat(breaker.refusal()).isEmpty();
        breaker.failed("agent", URL, "upstream refused the handshake (HTTP 401)", false);
        assertThat(breaker.refusal()).as("reachable: closed").isEmpty();
    }

    @Test
    void aBurstOfFailuresWritesAFewLinesNotOnePerAttempt() {
        UpstreamBreaker breaker = breaker(1);
        try (LogCapture logs = new LogCapture()) {
            fail(breaker);
            // Sessions admitted before it opened fail too, and probes fail: 30 failures over 3 s.
            for (int i = 0; i < 30; i++) {
                clock.advance(Duration.ofMillis(100));
                breaker.refusal();
                fail(breaker);
            }
            long lines = logs.lines().stream().filter(line -> line.startsWith(UpstreamBreaker.class.getName())).count();
            assertThat(lines).as("the line on opening, then one per window: " + logs.all()).isEqualTo(2);
            assertThat(logs.all()).contains("refused without dialling");
        }
    }

    @Test
    void theEndLinesOfSessionsThatNeverConnectedAreOnePerWindow() {
        UpstreamBreaker breaker = breaker(1);
        assertThat(breaker.logsConnectFailedEnd()).as("the first").isTrue();
        assertThat(breaker.logsConnectFailedEnd()).as("a retry within the window").isFalse();
        clock.advance(UpstreamBreaker.LOG_WINDOW.minusMillis(1));
        assertThat(breaker.logsConnectFailedEnd()).as("still within the window").isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(breaker.logsConnectFailedEnd()).as("the next window").isTrue();
    }
}
