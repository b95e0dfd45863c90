package io.realtimegateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;


/** The console's rules without a server: the feed's bound, tickets, and the relay's isolation. */
class ConsoleUnitTest {

    private static final String ORIGIN = "http://127.0.0.1:9000";

    // ---- the feed's bound

    @Test
    void aFeedConnectionHoldsAtMostItsBoundInFlight() {
        FeedBudget budget = new FeedBudget(2, 100);
        assertThat(budget.admit(40)).isTrue();
        assertThat(budget.admit(40)).isTrue();
        assertThat(budget.admit(1)).as("a third message over the message bound").isFalse();
        budget.written(40);
        assertThat(budget.admit(61)).as("over the byte bound").isFalse();
        assertThat(budget.admit(60)).isTrue();
        assertThat(budget.messages()).isEqualTo(2);
    }

    @Test
    void aSamplesEventsAreAdmittedTogether() {
        FeedBudget budget = new FeedBudget(4, 1000);
        assertThat(budget.admit(10, 500)).as("a burst over the message bound, in one sample").isTrue();
        assertThat(budget.admit(1, 10)).as("the next sample while 10 are unflushed").isFalse();
        for (int i = 0; i < 7; i++) {
            budget.written(50);
        }
        assertThat(budget.admit(1, 901)).as("150 bytes unflushed + 901 over the byte bound").isFalse();
        assertThat(budget.admit(2, 600)).as("750 bytes in flight: within the byte bound").isTrue();
        assertThat(budget.admit(1, 10)).as("5 unflushed, over the bound of 4").isFalse();
    }

    // ---- tickets

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");

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

    private static ConsoleConfig config(Duration ttl) {
        return new ConsoleConfig() {
            public boolean enabled() {
                return true;
            }

            public Optional<String> feedUrl() {
                return Optional.empty();
            }

            public Duration sampleInterval() {
                return Duration.ofMillis(500);
            }

            public Duration chartInterval() {
                return Duration.ofSeconds(10);
            }

            public Duration ticketTtl() {
                return ttl;
            }

            public int maxInFlightMessages() {
                return 64;
            }

            public long maxInFlightBytes() {
                return 1 << 20;
            }
        };
    }

    @Test
    void ticketsAreSingleUseAndExpire() {
        MovableClock clock = new MovableClock();
        ConsoleTickets tickets = new ConsoleTickets(config(Duration.ofSeconds(30)), clock);
        String first = tickets.issue(ORIGIN).value();
        String second = tickets.issue(ORIGIN).value();
        assertThat(first).startsWith("ct_").isNotEqualTo(second);
        assertThat(tickets.originOf(first)).as("peeking does not spend it").isEqualTo(ORIGIN);
        assertThat(tickets.redeem(first)).isNull();
        assertThat(tickets.originOf(first)).isNull();
        assertThat(tickets.redeem(first)).isEqualTo(ConsoleTickets.Rejection.UNKNOWN);
        clock.now = clock.now.plusSeconds(30);
        assertThat(tickets.redeem(second)).isEqualTo(ConsoleTickets.Rejection.EXPIRED);
        assertThat(tickets.redeem(null)).isEqualTo(ConsoleTickets.Rejection.MISSING);
        assertThat(tickets.redeem("")).isEqualTo(ConsoleTickets.Rejection.MISSING);
    }

    @Test
    void outstandingTicketsAreBounded() {
        ConsoleTickets tickets = new ConsoleTickets(config(Duration.ofSeconds(30)), new MovableClock());
        for (int i = 0; i < ConsoleTickets.MAX_OUTSTANDING + 10; i++) {
            tickets.issue(ORIGIN);
        }
        String last = tickets.issue(ORIGIN).value();
        assertThat(tickets.redeem(last)).isNull();
    }

    // ---- the relay's route is not websockets-next's

    @Test
    void noWebSocketsNextServerSettingIsConfigured() throws IOException {
        // Quarkus applies these to the whole HTTP server (WebSocketHttpServerOptionsCustomizer), the relay's route
        // included, where they would fight RelayServerOptions: the console feed must do without them.
        Properties properties = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            properties.load(in);
        }
        assertThat(properties.stringPropertyNames()).noneMatch(name -> name.matches("(%[a-z]+\\.)?quarkus\\.websockets-next\\.server\\."
                + "(supported-subprotocols|per-message-compression-supported|compression-level|max-message-size).*"));
    }
}
