package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.FakeOpenAiUpstream;

/**
 * What the relay's client leg does with frames that break RFC 6455 or its size limit, written raw: each is closed
 * in-band with a code and a reason (1002, or 1009 for a frame over {@code max-message-bytes}), never cut (1006), and
 * counts as a termination. The leg negotiates no compression, so a frame marked compressed is a protocol error too.
 */
@QuarkusTest
@TestProfile(RelayProtocolErrorsTest.SmallMessages.class)
@WithTestResource(FakeOpenAiUpstream.class)
class RelayProtocolErrorsTest extends RelaySocketTestBase {

    static final int LIMIT = 64 * 1024;

    public static class SmallMessages implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.realtime.max-message-bytes", Integer.toString(LIMIT));
        }
    }

    @Override
    void afterSocketsClosed() {
        await().atMost(TestSocket.WAIT).until(() -> metric("gateway_realtime_sessions_active") == 0);
    }

    private RawWebSocket openRaw(String... headers) throws Exception {
        RawWebSocket ws = RawWebSocket.open(relay, ticket(), headers);
        assertThat(ws.head()).startsWith("HTTP/1.1 101");
        return ws;
    }

    private static void assertClosed(RawWebSocket ws, int code, String reason) throws Exception {
        RawWebSocket.Close close = ws.awaitClose();
        assertThat(close.code()).as("close code (1006: the connection was cut), reason %s", close.reason()).isEqualTo(code);
        assertThat(close.reason()).isEqualTo(reason);
    }

    @Test
    void aReservedOpcodeClosesWith1002() throws Exception {
        double before = metric(terminations("protocol_error"));
        try (RawWebSocket ws = openRaw()) {
            ws.frame(true, 0, 0x3, "x".getBytes(StandardCharsets.US_ASCII));
            assertClosed(ws, 1002, "protocol error: data frame using reserved opcode 3");
        }
        await().atMost(TestSocket.WAIT).until(() -> metric(terminations("protocol_error")) == before + 1);
    }

    @Test
    void aContinuationFrameOutsideAFragmentedMessageClosesWith1002() throws Exception {
        try (RawWebSocket ws = openRaw()) {
            ws.frame(true, 0, RawWebSocket.OP_CONTINUATION, "{}".getBytes(StandardCharsets.US_ASCII));
            assertClosed(ws, 1002, "protocol error: received continuation data frame outside fragmented message");
        }
    }

    @Test
    void aNewTextFrameInsideAFragmentedMessageClosesWith1002() throws Exception {
        try (RawWebSocket ws = openRaw()) {
            ws.frame(false, 0, RawWebSocket.OP_TEXT, "{\"type\":".getBytes(StandardCharsets.US_ASCII));
            ws.frame(true, 0, RawWebSocket.OP_TEXT, "{}".getBytes(StandardCharsets.US_ASCII));
            assertClosed(ws, 1002, "protocol error: received non-continuation data frame while inside fragmented message");
        }
    }

    @Test
    void compressionIsNotNegotiatedAndACompressedFrameClosesWith1002() throws Exception {
        try (RawWebSocket ws = openRaw("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits")) {
            assertThat(ws.head().toLowerCase()).doesNotContain("sec-websocket-extensions");
            ws.frame(true, RawWebSocket.RSV1, RawWebSocket.OP_TEXT, new byte[] {0x02, 0x00}); // an empty deflate block
            assertClosed(ws, 1002, "protocol error: RSV != 0 and no extension negotiated, RSV:4");
        }
    }

    @Test
    void aFrameOverTheLimitClosesWith1009BeforeItsPayloadIsRead() throws Exception {
        double before = metric(terminations("message_too_big"));
        try (RawWebSocket ws = openRaw()) {
            // Announced far over the limit (and over twice it, the old transport limit); only its first bytes follow.
            ws.header(true, 0, RawWebSocket.OP_BINARY, 64L * LIMIT);
            ws.frame(true, 0, RawWebSocket.OP_CONTINUATION, new byte[0]);
            assertClosed(ws, 1009, "message too big: limit is " + LIMIT + " bytes");
        }
        await().atMost(TestSocket.WAIT).until(() -> metric(terminations("message_too_big")) == before + 1);
    }

    @Test
    void aFrameAtTheLimitPasses() throws Exception {
        TestSocket socket = open(ticket());
        socket.awaitEvent("session.created");
        socket.ws.writeFinalBinaryFrame(io.vertx.core.buffer.Buffer.buffer(new byte[LIMIT]));
        await().atMost(TestSocket.WAIT).until(() -> !socket.binaries.isEmpty() || socket.closed);
        assertThat(socket.closed).isFalse();
        assertThat(socket.binaries.poll().length()).isEqualTo(LIMIT);
    }
}
