package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.LogCapture;
import io.realtimegateway.testing.Secrets;

/**
 * A refused ticket leaves one log line that says why and whose, never the ticket: a plugin only shows its client a
 * bare 401 or a close code. Lines are rate-limited per reason (one per window, see {@code RefusalLogTest}), so a test
 * whose reason another test of this boot just used waits one window once before its own refusal is logged.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class)
class RelayRefusalLogTest extends RelaySocketTestBase {

    /** The refusal log's window, plus scheduling slack. */
    private static final long WINDOW_MILLIS = 10_000 + 500;

    @Test
    void aForgedTicketIsLoggedByTheFingerprintOfWhatWasPresented() throws InterruptedException {
        String forged = signedTicket(Secrets.random(48), Instant.now().plusSeconds(60));
        List<String> lines = refusalLines(() -> upgradeRequest().header("Authorization", "Bearer " + forged).get("/v1/realtime?model=gpt-realtime")
                .then().statusCode(401), "ticket_invalid");
        assertThat(lines).singleElement().satisfies(line -> assertThat(line)
                .contains("relay sessions refused (ticket_invalid): credential=" + Fingerprint.of(forged))
                .doesNotContain(forged));
    }

    @Test
    void aReplayedTicketIsLoggedWithItsIdentity() throws InterruptedException {
        String ticket = ticket();
        open(ticket).awaitEvent("session.created");
        List<String> lines = refusalLines(() -> {
            TestSocket replay = null;
            try {
                replay = connect("model=gpt-realtime", Map.of("Authorization", "Bearer " + ticket), List.of());
            } catch (RuntimeException refused) {
                return; // 401 before the upgrade, as expected
            }
            throw new AssertionError("a replayed ticket was admitted: " + replay);
        }, "ticket_replayed");
        assertThat(lines).singleElement().satisfies(line -> assertThat(line)
                .contains("relay sessions refused (ticket_replayed): identity=").doesNotContain(ticket));
    }

    /**
     * Runs the refusal and returns the refusal log's lines for that reason; when another test of this boot used the
     * reason within the window (its line suppressed ours), waits the window out once and refuses again.
     */
    private static List<String> refusalLines(Runnable refusal, String reason) throws InterruptedException {
        for (int attempt = 0; attempt < 2; attempt++) {
            try (LogCapture logs = new LogCapture()) {
                refusal.run();
                List<String> lines = logs.lines().stream().filter(l -> l.contains("refused (" + reason + ")")).toList();
                if (!lines.isEmpty() || attempt == 1) {
                    return lines;
                }
            }
            Thread.sleep(WINDOW_MILLIS);
        }
        throw new IllegalStateException("unreachable");
    }
}
