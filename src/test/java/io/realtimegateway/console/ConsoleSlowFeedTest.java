package io.realtimegateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.realtimegateway.testing.ClientSockets;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.realtimegateway.testing.Management;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * The feed's bound on the wire: a raw Vert.x client that stops reading (its socket paused; small socket buffers on both
 * ends) is closed with 1008 once its budget (here 8 messages or 32 KiB written but not flushed) is exceeded, while a
 * console that reads keeps its feed. Nothing piles up for the stalled one: what it finally reads is bounded by the
 * budget and the sockets' buffers, however much the feed goes on publishing to the reader.
 */
@QuarkusTest
@TestProfile(ConsoleSlowFeedTest.SmallBudget.class)
class ConsoleSlowFeedTest {

    static final int MAX_MESSAGES = 8;
    static final int MAX_BYTES = 32 * 1024;
    /** The server's and the client's socket buffers ({@link SmallSendBuffer}); Linux doubles what is set. */
    static final int SEND_BUFFER = 8 * 1024;
    static final int RECEIVE_BUFFER = 4 * 1024;
    /** What a stalled client can have been sent at most: the budget, and generously what the kernel buffers absorb. */
    static final long BOUND = MAX_BYTES + 128 * 1024;

    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return LiveKitTestConfig.valid("gateway.console.sample-interval", "50ms", "test.console.send-buffer-size", String.valueOf(SEND_BUFFER),
                    "gateway.console.max-in-flight-messages", String.valueOf(MAX_MESSAGES),
                    "gateway.console.max-in-flight-bytes", String.valueOf(MAX_BYTES));
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    Instance<BasicWebSocketConnector> connectors;

    @Inject
    Vertx vertx;

    @Inject
    FeedHub hub;

    @Test
    void aConsoleThatStopsReadingIsClosedWith1008AndNothingPilesUpForIt() throws Exception {
        AtomicLong slowBytes = new AtomicLong();
        AtomicReference<Short> closeCode = new AtomicReference<>();
        AtomicReference<String> closeReason = new AtomicReference<>();
        ClientWebSocket slow = vertx.createWebSocketClient(new WebSocketClientOptions().setReceiveBufferSize(RECEIVE_BUFFER)).webSocket();
        slow.textMessageHandler(text -> slowBytes.addAndGet(text.length()));
        slow.closeHandler(v -> {
            closeCode.set(slow.closeStatusCode());
            closeReason.set(slow.closeReason());
        });
        ClientSockets.connect(vertx, slow, new WebSocketConnectOptions().setHost(base.getHost()).setPort(base.getPort())
                .setURI(ConsoleFeed.PATH + "?ticket=" + ConsoleFeedTest.ticket())).get(15, TimeUnit.SECONDS);
        await().atMost(FeedClient.WAIT).until(() -> slowBytes.get() > 0); // the snapshot
        slow.pause();

        try (FeedClient reader = new FeedClient(connectors.get(), base, ConsoleFeedTest.ticket())) {
            reader.await("snapshot");
            await().atMost(FeedClient.WAIT).until(() -> hub.connections() == 2);
            // Every re-run is a new report: each sample then publishes a 'checks' event (the whole report) to both.
            int reruns = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (hub.connections() == 2 && System.nanoTime() < deadline) {
                Management.given().header("X-Console", "1").post("/console/api/checks").then().statusCode(200);
                reruns++;
            }
            assertThat(hub.connections()).as("the stalled feed was dropped after %d re-runs", reruns).isEqualTo(1);
            long checksSeenByReader = reader.events.stream().filter(e -> "checks".equals(e.getString("type"))).count();

            slow.resume();
            await().atMost(FeedClient.WAIT).until(() -> closeCode.get() != null);
            assertThat(closeCode.get()).isEqualTo(FeedHub.TOO_SLOW);
            assertThat(closeReason.get()).contains("too slow");

            // The reader was not held back by the stalled one, and still gets what follows, well past the stalled one's bound.
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Management.given().header("X-Console", "1").post("/console/api/checks").then().statusCode(200);
                return bytes(reader) > 3 * BOUND && reader.events.stream().filter(e -> "checks".equals(e.getString("type"))).count() > checksSeenByReader;
            });
            assertThat(reader.closed).isNull();
            long readerBytes = bytes(reader);
            assertThat(slowBytes.get()).as("bytes the stalled console got, of %d the reader got", readerBytes).isLessThan(BOUND);
            System.out.printf("slow feed dropped after %d re-runs; it read %d bytes, the reader %d%n", reruns, slowBytes.get(), readerBytes);
        } finally {
            slow.close();
        }
    }

    private static long bytes(FeedClient client) {
        return client.events.stream().mapToLong(e -> e.encode().length()).sum();
    }
}
