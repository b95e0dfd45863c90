package io.realtimegateway.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.realtimegateway.auth.Identities;
import io.realtimegateway.relay.RelayUnitsTest;
import io.realtimegateway.state.StateStore;
import io.realtimegateway.state.TestStateStores;
import io.realtimegateway.state.TicketHolder;
import io.realtimegateway.testing.Environments;
import io.realtimegateway.testing.Secrets;

/**
 * A reusable ticket's claims and lifetime: valid while its conversation is active (an idle period without a live
 * session ends it), and never past its absolute cap. The store's clock is moved by the test, never slept on.
 */
class ReusableTicketLifetimeTest {

    private static final String SECRET = Secrets.random(43);
    private static final Duration IDLE = Duration.ofMinutes(15);
    private static final Duration MAX_AGE = Duration.ofHours(12);

    private final AtomicLong skew = new AtomicLong();
    private final StateStore store = TestStateStores.inMemory(1000, Duration.ofSeconds(30), () -> System.currentTimeMillis() + skew.get());
    private final TicketService tickets = new TicketService(RelayUnitsTest.config(Map.of("ticketSecret", Optional.of(SECRET), "ticketTtl",
            Duration.ofSeconds(60), "reusableTicketIdle", IDLE, "reusableTicketMaxAge", MAX_AGE)), Environments.PROD, store, null);

    private Ticket issue(String identity) throws TicketRejectedException {
        TicketService.IssuedTicket issued = tickets.issue("api-key:0123abcd", "gpt-realtime", Ticket.Type.REALTIME, identity, true);
        assertThat(issued.expiresAt()).isBetween(Instant.now().plus(MAX_AGE).getEpochSecond() - 5, Instant.now().plus(MAX_AGE).getEpochSecond());
        Ticket ticket = tickets.verify(issued.value());
        assertThat(ticket.id()).isEqualTo(issued.id());
        return ticket;
    }

    /** Redeems, unwrapping the refusal (a checked exception reaches await() wrapped). */
    private TicketHolder take(Ticket ticket) throws Throwable {
        try {
            return tickets.take(ticket).await().indefinitely();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause();
        }
    }

    @Test
    void theTicketCarriesItsIdentityAndFlagAndKeysItsConversation() throws TicketRejectedException {
        Ticket ticket = issue("room-42");
        assertThat(ticket.reusable()).isTrue();
        assertThat(ticket.identity()).isEqualTo("room-42");
        assertThat(ticket.subject()).isEqualTo("api-key:0123abcd/room-42");
        Ticket single = tickets.verify(tickets.issue("alice", "gpt-realtime", Ticket.Type.REALTIME).value());
        assertThat(single.reusable()).isFalse();
        assertThat(single.identity()).isNull();
        assertThat(single.subject()).isEqualTo("alice");
    }

    @Test
    void conversationKeysCannotCollide() {
        // A JWT subject with a '/' must not become the key of an API-key caller's identity.
        assertThat(Identities.conversationKey("a/b", null)).isNotEqualTo(Identities.conversationKey("a", "b"));
        assertThat(Identities.conversationKey("a%2Fb", null)).isNotEqualTo(Identities.conversationKey("a/b", null));
        assertThat(Identities.conversationKey("a", "b/c")).as("identities hold no '/': refused at the door").isNotNull();
        assertThat(Identities.validConversationIdentity("b/c")).isFalse();
        assertThat(Identities.validConversationIdentity("room\r\nINFO forged")).isFalse();
        assertThat(Identities.validConversationIdentity("x".repeat(129))).isFalse();
        assertThat(Identities.validConversationIdentity("")).isFalse();
        assertThat(Identities.validConversationIdentity("room-42_a.b:c@d")).isTrue();
    }

    @Test
    void itIsReusedAcrossSessionsAndExpiresAfterTheIdlePeriod() throws TicketRejectedException {
        Ticket ticket = issue("room-1");
        TicketHolder first = tickets.take(ticket).await().indefinitely();
        store.releaseTicket(first, IDLE).await().indefinitely();
        skew.addAndGet(IDLE.toMillis() - 1000);
        TicketHolder second = tickets.take(ticket).await().indefinitely();
        assertThat(second.holder()).isNotEqualTo(first.holder());
        store.releaseTicket(second, IDLE).await().indefinitely();
        skew.addAndGet(IDLE.toMillis());
        assertThatThrownBy(() -> take(ticket)).isInstanceOf(TicketRejectedException.class)
                .hasMessageContaining("no session used it for 900 s")
                .satisfies(e -> assertThat(((TicketRejectedException) e).reason()).isEqualTo(TicketRejectedException.Reason.EXPIRED));
    }

    @Test
    void aTicketNeverUsedIsIdleSinceItsIssue() throws TicketRejectedException {
        Ticket ticket = issue("room-2");
        skew.addAndGet(IDLE.toMillis() + 1000);
        assertThatThrownBy(() -> take(ticket)).isInstanceOf(TicketRejectedException.class)
                .satisfies(e -> assertThat(((TicketRejectedException) e).reason()).isEqualTo(TicketRejectedException.Reason.EXPIRED));
    }

    @Test
    void theAbsoluteCapEndsItHoweverActive() {
        Instant now = Instant.now();
        String expired = TestTickets.signReusable(SECRET, "api-key:0123abcd", "room-3", now.minus(MAX_AGE).minusSeconds(10), now.minusSeconds(10));
        assertThatThrownBy(() -> tickets.verify(expired)).isInstanceOf(TicketRejectedException.class)
                .satisfies(e -> assertThat(((TicketRejectedException) e).reason()).isEqualTo(TicketRejectedException.Reason.EXPIRED));
        String tooLong = TestTickets.signReusable(SECRET, "api-key:0123abcd", "room-3", now, now.plus(MAX_AGE).plus(TicketService.CLOCK_SKEW_MARGIN)
                .plusSeconds(1));
        assertThatThrownBy(() -> tickets.verify(tooLong)).isInstanceOf(TicketRejectedException.class)
                .hasMessage("ticket invalid (it lives longer than this gateway's reusable ticket TTL of 43200 s)");
        String single = TestTickets.sign(SECRET, "alice", "gpt-realtime", Ticket.Type.REALTIME, now, now.plus(MAX_AGE));
        assertThatThrownBy(() -> tickets.verify(single)).as("a single-use ticket keeps the short TTL").isInstanceOf(TicketRejectedException.class)
                .hasMessageContaining("lives longer");
    }

    @Test
    void aRevokedTicketIsRefused() throws TicketRejectedException {
        Ticket ticket = issue("room-4");
        store.revokeTicket(ticket.id(), MAX_AGE).await().indefinitely();
        assertThatThrownBy(() -> take(ticket)).isInstanceOf(TicketRejectedException.class)
                .hasMessage("ticket revoked: fetch a new one")
                .satisfies(e -> assertThat(((TicketRejectedException) e).reason()).isEqualTo(TicketRejectedException.Reason.REVOKED));
    }
}
