package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.Management;
import io.realtimegateway.ticket.Ticket;
import io.realtimegateway.ticket.TicketService;

/**
 * Caps per conversation: a backend's tickets minted for an identity count against {@code <caller>/<identity>}, so each
 * conversation (a LiveKit room) has the per-identity cap of its own, and all of a caller's conversations together
 * the per-caller cap; both refuse as the per-identity cap always did (session_limit_reached, 1013). The boot of
 * {@link RealtimeRelayPolicyTest}: one session per identity, two per caller.
 */
@QuarkusTest
@TestProfile(RealtimeRelayPolicyTest.TinyLimits.class)
@WithTestResource(FakeOpenAiUpstream.class)
class ConversationCapsTest extends RelaySocketTestBase {

    @Inject
    TicketService tickets;

    @Override
    void afterSocketsClosed() {
        await().atMost(TestSocket.WAIT).until(() -> Management.given().get("/q/metrics").asString().contains("gateway_realtime_sessions_active 0.0"));
    }

    private String conversation(String caller, String identity) {
        return tickets.issue(caller, "gpt-realtime", Ticket.Type.REALTIME, identity, true).value();
    }

    @Test
    void eachConversationHasItsOwnCapAndTheCallerATotal() {
        double perIdentity = metric(refusals("max_sessions_per_identity"));
        double perCaller = metric(refusals("max_sessions_per_caller"));
        openAsBackend(conversation("api-key:acme", "room-1")).awaitEvent("session.created");

        TestSocket sameRoom = openAsBackend(conversation("api-key:acme", "room-1"));
        assertThat(sameRoom.awaitEvent("error").getJsonObject("error").getString("code")).isEqualTo("session_limit_reached");
        sameRoom.awaitClosed();
        assertThat(sameRoom.closeCode).isEqualTo(1013);
        assertThat(sameRoom.closeReason).startsWith("max_sessions_per_identity");

        // Another room of the same caller is another identity: not the sixth room of one shared identity.
        openAsBackend(conversation("api-key:acme", "room-2")).awaitEvent("session.created");

        TestSocket thirdRoom = openAsBackend(conversation("api-key:acme", "room-3"));
        assertThat(thirdRoom.awaitEvent("error").getJsonObject("error").getString("code")).isEqualTo("session_limit_reached");
        thirdRoom.awaitClosed();
        assertThat(thirdRoom.closeCode).isEqualTo(1013);
        assertThat(thirdRoom.closeReason).startsWith("max_sessions_per_caller");

        // Another caller has caps of its own.
        openAsBackend(conversation("api-key:other", "room-3")).awaitEvent("session.created");
        assertThat(fake.upgrades()).isEqualTo(3);
        assertThat(metric(refusals("max_sessions_per_identity"))).isEqualTo(perIdentity + 1);
        assertThat(metric(refusals("max_sessions_per_caller"))).isEqualTo(perCaller + 1);
    }
}
