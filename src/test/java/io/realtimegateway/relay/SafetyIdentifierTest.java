package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.ticket.Ticket;
import io.realtimegateway.ticket.TicketService;
import io.vertx.core.json.JsonObject;

/**
 * Every relayed session's upstream upgrade carries {@code OpenAI-Safety-Identifier}: a keyed hash of the identity,
 * the same for every session of one identity, another for another identity, and never the identity itself. (The
 * default test profile, so the boot of {@link RealtimeRelayTest}.)
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class)
class SafetyIdentifierTest extends RelaySocketTestBase {

    static final String HEADER = "OpenAI-Safety-Identifier";

    @Inject
    TicketService tickets;

    /** A ticket as the endpoint issues it to a caller with this id (the default profile's callers are all anonymous). */
    private String ticketFor(String callerId) {
        return tickets.issue(callerId, "gpt-realtime", Ticket.Type.REALTIME).value();
    }

    /** The header of a recorded request, by name in any case; null when absent. */
    static String header(JsonObject recorded, String name) {
        JsonObject headers = recorded.getJsonObject("headers");
        return headers.fieldNames().stream().filter(n -> n.equalsIgnoreCase(name)).findFirst().map(headers::getString).orElse(null);
    }

    @Test
    void theUpgradeCarriesAStableKeyedHashOfTheIdentity() {
        String alice = "alice@example.com";
        open(ticketFor(alice)).awaitEvent("session.created");
        open(ticketFor(alice)).awaitEvent("session.created");
        open(ticketFor("bob@example.com")).awaitEvent("session.created");
        List<String> sent = fake.connections().stream().map(c -> header(c, HEADER)).toList();

        assertThat(sent).hasSize(3).doesNotContainNull();
        assertThat(sent.get(0)).as("stable per identity").isEqualTo(sent.get(1));
        assertThat(sent.get(2)).as("another identity, another value").isNotEqualTo(sent.get(0));
        assertThat(sent.get(0)).matches("[A-Za-z0-9_-]{43}").doesNotContain("alice").isNotEqualTo(alice);
        assertThat(sent.get(2)).doesNotContain("bob");
        // Nothing else in the upgrade names the user either.
        assertThat(fake.connections().get(0).getJsonObject("headers").encode()).doesNotContain("alice");
    }

    @Test
    void aTicketFromTheEndpointGetsOneToo() {
        open(ticket()).awaitEvent("session.created");
        assertThat(header(fake.connections().get(0), HEADER)).isNotBlank().isNotEqualTo("anonymous");
    }
}
