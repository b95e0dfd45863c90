package io.realtimegateway.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.realtimegateway.testing.StepClock;

/** The refusal log's rate limit: the first refusal of a reason, then one line per window, per reason. */
class RefusalLogTest {

    @Test
    void aClientRetryingInALoopWritesOneLinePerWindow() {
        StepClock clock = new StepClock();
        RefusalLog log = new RefusalLog(clock);
        assertThat(log.refused(Door.RELAY, "ticket_replayed", "identity=a", "used")).isTrue();
        for (int i = 0; i < 100; i++) {
            clock.advance(Duration.ofMillis(50)); // 5 s of retries
            assertThat(log.refused(Door.RELAY, "ticket_replayed", "identity=a", "used")).isFalse();
        }
        clock.advance(RefusalLog.WINDOW);
        assertThat(log.refused(Door.RELAY, "ticket_replayed", "identity=a", "used")).isTrue();
        assertThat(log.refused(Door.RELAY, "ticket_replayed", "identity=a", "used")).isFalse();
    }

    @Test
    void eachReasonHasItsOwnWindow() {
        RefusalLog log = new RefusalLog(new StepClock());
        assertThat(log.refused(Door.RELAY, "ticket_replayed", "identity=a", "used")).isTrue();
        assertThat(log.refused(Door.CALLS, "ticket_expired", "credential=len=40 sha256:00000000", "expired")).isTrue();
        assertThat(log.refused(Door.RELAY, "ticket_replayed", "identity=b", "used")).isFalse();
    }
}
