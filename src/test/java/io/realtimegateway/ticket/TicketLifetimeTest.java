package io.realtimegateway.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.realtimegateway.config.Environment;
import io.realtimegateway.relay.RelayUnitsTest;
import io.realtimegateway.testing.Environments;
import io.realtimegateway.testing.Secrets;

/** A ticket signed with the ticket secret is still refused when its lifetime is one the gateway never issues. */
class TicketLifetimeTest {

    private static final String SECRET = Secrets.random(43);
    private static final Duration TTL = Duration.ofSeconds(60);

    private final TicketService tickets = new TicketService(RelayUnitsTest.config(Map.of("ticketSecret", Optional.of(SECRET), "ticketTtl", TTL)),
            Environments.PROD, null, null);

    @Test
    void aTicketLivingLongerThanTheTtlPlusSkewIsRefused() {
        Instant now = Instant.now();
        String day = TestTickets.sign(SECRET, "mallory", "gpt-realtime", Ticket.Type.REALTIME, now, now.plus(Duration.ofHours(24)));
        assertThatThrownBy(() -> tickets.verify(day)).isInstanceOf(TicketRejectedException.class)
                .hasMessage("ticket invalid (it lives longer than this gateway's ticket TTL of 60 s)")
                .satisfies(e -> assertThat(((TicketRejectedException) e).reason()).isEqualTo(TicketRejectedException.Reason.INVALID));
        // one second over the TTL plus the 60 s skew margin
        String justOver = TestTickets.sign(SECRET, "mallory", "gpt-realtime", Ticket.Type.REALTIME, now,
                now.plus(TTL).plus(TicketService.CLOCK_SKEW_MARGIN).plusSeconds(1));
        assertThatThrownBy(() -> tickets.verify(justOver)).isInstanceOf(TicketRejectedException.class).hasMessageContaining("lives longer");
    }

    @Test
    void aTicketIssuedInTheFutureIsRefused() {
        Instant later = Instant.now().plus(Duration.ofHours(24));
        String future = TestTickets.sign(SECRET, "mallory", "gpt-realtime", Ticket.Type.REALTIME, later, later.plus(TTL));
        assertThatThrownBy(() -> tickets.verify(future)).isInstanceOf(TicketRejectedException.class)
                .hasMessage("ticket invalid (issued in the future)");
    }

    @Test
    void issuedTicketsAndLifetimesWithinTheSkewAreAccepted() throws TicketRejectedException {
        assertThat(tickets.verify(tickets.issue("alice", "gpt-realtime", Ticket.Type.REALTIME).value()).callerId()).isEqualTo("alice");
        Instant now = Instant.now();
        String atTheBound = TestTickets.sign(SECRET, "bob", "gpt-realtime", Ticket.Type.REALTIME, now,
                now.plus(TTL).plus(TicketService.CLOCK_SKEW_MARGIN));
        assertThat(tickets.verify(atTheBound).callerId()).isEqualTo("bob");
    }
}
