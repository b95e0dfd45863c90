package io.realtimegateway.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The refusal log's rate limit: the first refusal of a reason, then one line per window, per reason. */
class RefusalLogTest {

    /** A clock the test moves. */
    private static final class StepClock extends Clock {
        private Instant now = Instant.parse("2026-12-07T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

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
