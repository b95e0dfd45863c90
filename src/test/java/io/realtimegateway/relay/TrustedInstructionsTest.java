package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.Management;
import io.realtimegateway.ticket.Ticket;
import io.realtimegateway.ticket.TicketService;
import io.vertx.core.json.JsonObject;

/**
 * Server instructions in a reusable (backend) ticket's session: the client's {@code session.update} and
 * {@code response.create} instructions pass after the server's (a LiveKit agent's {@code generate_reply(instructions=…)}
 * greeting works), within the combined cap, and no echo shows the server's text. A single-use ticket's session keeps
 * {@code instructions_locked} ({@link RealtimeRelayPolicyTest}, the same boot).
 */
@QuarkusTest
@TestProfile(RealtimeRelayPolicyTest.TinyLimits.class)
@WithTestResource(FakeOpenAiUpstream.class)
class TrustedInstructionsTest extends RelaySocketTestBase {

    private static final String SERVER = RealtimeRelayPolicyTest.INSTRUCTIONS;

    @Inject
    TicketService tickets;

    @Override
    void afterSocketsClosed() {
        await().atMost(TestSocket.WAIT).until(() -> Management.given().get("/q/metrics").asString().contains("gateway_realtime_sessions_active 0.0"));
    }

    /** Every event the test took from its socket (awaitEvent takes them off the socket's queue). */
    private final List<JsonObject> seen = new ArrayList<>();

    private TestSocket backendSession() {
        TestSocket socket = openAsBackend(tickets.issue("api-key:agents", "gpt-realtime", Ticket.Type.REALTIME, "room-" + System.nanoTime(), true).value());
        seen.add(socket.awaitEvent("session.created"));
        seen.add(socket.awaitEvent("session.updated")); // the server's own instructions, taken
        return socket;
    }

    /** What upstream received of this type, parsed. */
    private List<JsonObject> upstreamGot(String type) {
        List<JsonObject> got = new ArrayList<>();
        for (Object message : fake.connections().get(0).getJsonArray("messages")) {
            String text = (String) message;
            if (text.startsWith("{") && type.equals(new JsonObject(text).getString("type"))) {
                got.add(new JsonObject(text));
            }
        }
        return got;
    }

    @Test
    void aResponsesInstructionsFollowTheServersAndTheReplyComes() {
        TestSocket socket = backendSession();
        socket.send(new JsonObject().put("type", "response.create")
                .put("response", new JsonObject().put("instructions", "Greet the user warmly.")));
        socket.awaitEvent("response.done");
        await().atMost(TestSocket.WAIT).until(() -> !upstreamGot("response.create").isEmpty());
        assertThat(upstreamGot("response.create").get(0).getJsonObject("response").getString("instructions"))
                .isEqualTo(SERVER + "\n\nGreet the user warmly.");
        assertThat(socket.events).noneMatch(e -> "error".equals(e.getString("type")));
    }

    @Test
    void sessionInstructionsFollowTheServersAndTheEchoShowsTheClientItsOwnOnly() {
        TestSocket socket = backendSession();
        socket.send(new JsonObject().put("type", "session.update")
                .put("session", new JsonObject().put("type", "realtime").put("instructions", "You are Ava, the front desk.")));
        JsonObject updated = socket.awaitEvent("session.updated");
        seen.add(updated);
        JsonObject echoed = updated.getJsonObject("session");
        assertThat(echoed.getString("instructions")).isEqualTo("You are Ava, the front desk.");
        List<JsonObject> updates = upstreamGot("session.update");
        assertThat(updates.get(updates.size() - 1).getJsonObject("session").getString("instructions"))
                .isEqualTo(SERVER + "\n\nYou are Ava, the front desk.");
        // No event the client got, from session.created on, carries the server's text.
        socket.send(new JsonObject().put("type", "response.create"));
        seen.add(socket.awaitEvent("response.done"));
        seen.addAll(socket.events);
        assertThat(seen).hasSizeGreaterThan(3).noneMatch(e -> e.encode().contains(SERVER));
    }

    @Test
    void theCombinedLengthIsCapped() {
        double refused = metric(eventsRefused("instructions_too_long"));
        TestSocket socket = backendSession();
        String tooLong = "x".repeat(32768 - SERVER.length() - 1); // with the server's and the blank line: 32769
        socket.send(new JsonObject().put("type", "response.create").put("event_id", "evt_long")
                .put("response", new JsonObject().put("instructions", tooLong)));
        JsonObject error = socket.awaitEvent("error").getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("instructions_too_long");
        assertThat(error.getString("param")).isEqualTo("response.instructions");
        assertThat(error.getString("event_id")).isEqualTo("evt_long");
        assertThat(error.getString("message")).doesNotContain(SERVER);
        assertThat(metric(eventsRefused("instructions_too_long"))).isEqualTo(refused + 1);
        // One shorter fits, and the session goes on.
        socket.send(new JsonObject().put("type", "response.create")
                .put("response", new JsonObject().put("instructions", tooLong.substring(1))));
        socket.awaitEvent("response.done");
        assertThat(socket.closed).isFalse();
    }
}
