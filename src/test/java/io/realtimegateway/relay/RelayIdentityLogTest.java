package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.LogCapture;
import io.realtimegateway.ticket.Ticket;
import io.realtimegateway.ticket.TicketService;

/**
 * The session log lines escape the identity. Identities with control characters are refused where they enter (caller
 * JWTs, token requests, usage queries); a ticket signed before that rule (an older replica during a rollout) is the
 * way one could still arrive, and it must not write a line of its own into the log.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class)
class RelayIdentityLogTest extends RelaySocketTestBase {

    private static final String FORGING = "mallory\r\n2026-01-01 00:00:00,000 INFO  [io.realtimegateway.relay.RelaySession] "
            + "Realtime session ended: identity=admin";

    @Inject
    TicketService tickets;

    @Test
    void anIdentityWithCrLfStaysOnItsLogLine() {
        try (LogCapture logs = new LogCapture()) {
            TestSocket socket = open(tickets.issue(FORGING, "gpt-realtime", Ticket.Type.REALTIME).value());
            socket.awaitEvent("session.created");
            socket.close();
            socket.awaitClosed();
            await().atMost(TestSocket.WAIT).until(() -> logs.all().contains("Realtime session ended"));
            List<String> sessionLines = logs.lines().stream().filter(l -> l.contains("Realtime session")).toList();
            assertThat(sessionLines).hasSize(2).allSatisfy(line -> assertThat(line)
                    .contains("identity=mallory\\u000D\\u000A2026-01-01 00:00:00,000 INFO")
                    .doesNotContain("\r").doesNotContain("\n"));
        }
    }
}
