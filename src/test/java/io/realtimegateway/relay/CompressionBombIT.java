package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.realtimegateway.testing.RelayJar;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The compressed-frame bomb against the packaged jar under a small heap (256 MiB, the serial collector a small
 * container gets) with the relay's buffer budget below it: clients offer permessage-deflate and then send messages
 * of 16 MiB of zeros deflated to about 16 KiB each, 160 MiB per session once inflated. The relay negotiates no
 * compression, so each such session is closed in-band with a code and a reason, never cut (1006); the process
 * neither runs out of memory nor stops serving another session's echo.
 */
class CompressionBombIT {

    private static final List<String> SMALL_HEAP = List.of("-Xmx256m", "-XX:+UseSerialGC");
    private static final long BUFFER_BUDGET = 64L * 1024 * 1024;
    private static final int BOMBS = 8;
    private static final int MESSAGES_PER_BOMB = 10;
    private static final int INFLATED_BYTES = 16 * 1024 * 1024;

    private static Vertx vertx;
    private static RelayJar jar;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        jar = RelayJar.start(SMALL_HEAP, env -> env
                .with("GATEWAY_REALTIME_MAX_BUFFERED_BYTES", Long.toString(BUFFER_BUDGET))
                .with("GATEWAY_RATE_LIMIT_TICKETS_PER_MINUTE", "0")
                .with("GATEWAY_REALTIME_MAX_SESSIONS_PER_IDENTITY", "50"));
    }

    @AfterAll
    static void stop() {
        if (jar != null) {
            jar.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void compressedFramesAreClosedInBandAndExhaustNothing() throws Exception {
        URI relay = URI.create(jar.gateway().awaitListening() + RealtimeRelay.PATH);
        TestSocket other = TestSocket.connect(vertx, relay, "model=gpt-realtime", Map.of("Authorization", "Bearer " + jar.ticket()), List.of());
        other.awaitEvent("session.created");
        echo(other, "before");

        byte[] bomb = deflated(INFLATED_BYTES);
        assertThat(bomb.length).as("a 16 MiB message on the wire").isLessThan(64 * 1024);
        List<RawWebSocket> bombs = new ArrayList<>();
        try {
            for (int i = 0; i < BOMBS; i++) {
                RawWebSocket ws = RawWebSocket.open(relay, jar.ticket(), "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits");
                bombs.add(ws);
                assertThat(ws.head().toLowerCase()).as("the relay negotiates no compression").doesNotContain("sec-websocket-extensions");
            }
            for (RawWebSocket ws : bombs) {
                send(ws, bomb);
            }
            for (RawWebSocket ws : bombs) {
                RawWebSocket.Close close = ws.awaitClose();
                assertThat(close.code()).as("closed in-band, not cut; reason %s", close.reason()).isIn(1002, 1009);
                assertThat(close.reason()).isNotBlank();
            }
        } finally {
            for (RawWebSocket ws : bombs) {
                ws.close();
            }
        }

        echo(other, "after");
        assertThat(other.closed).isFalse();
        assertThat(jar.gateway().isAlive()).isTrue();
        assertThat(jar.gateway().management("/q/health/live").statusCode()).isEqualTo(200);
        assertThat(metric("gateway_realtime_terminations_total{reason=\"protocol_error\"}")).isEqualTo(BOMBS);
        assertThat(jar.gateway().output()).doesNotContain("OutOfMemoryError");
        other.close();
    }

    /** Sends the bomb as compressed text messages until they are all out or the gateway stops reading. */
    private static void send(RawWebSocket ws, byte[] bomb) {
        try {
            for (int i = 0; i < MESSAGES_PER_BOMB; i++) {
                ws.frame(true, RawWebSocket.RSV1, RawWebSocket.OP_TEXT, bomb);
            }
        } catch (IOException e) {
            // the gateway closed the connection after its close frame: awaitClose reads that frame
        }
    }

    private static void echo(TestSocket socket, String marker) {
        socket.send(new JsonObject().put("type", "fake.echo").put("marker", marker));
        assertThat(socket.awaitEvent("fake.echo").getString("marker")).isEqualTo(marker);
    }

    /** {@code size} spaces as one permessage-deflate message: raw deflate, flushed, without the 00 00 FF FF tail (RFC 7692). */
    private static byte[] deflated(int size) {
        byte[] input = new byte[size];
        Arrays.fill(input, (byte) ' ');
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(input);
        byte[] buffer = new byte[1024 * 1024];
        int length = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
        deflater.end();
        assertThat(length).isLessThan(buffer.length);
        return Arrays.copyOf(buffer, length - 4);
    }

    private static double metric(String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(jar.gateway().management("/q/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
