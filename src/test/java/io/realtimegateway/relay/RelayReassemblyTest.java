package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

/** {@link Reassembly}: whole frames pass as they are; fragments become one message, bounded by the limit. */
class RelayReassemblyTest {

    private final AtomicInteger tooBig = new AtomicInteger();
    private final Reassembly reassembly = new Reassembly(10, tooBig::incrementAndGet, RelayBudget.unbounded());

    @Test
    void aWholeFrameIsItsOwnMessageWithoutACopy() {
        WebSocketFrame text = WebSocketFrame.textFrame("{\"type\":\"x\"}", true);
        WebSocketFrame binary = WebSocketFrame.binaryFrame(Buffer.buffer(new byte[] {1, 2}), true);
        assertThat(reassembly.message(text)).isSameAs(text);
        assertThat(reassembly.message(binary)).isSameAs(binary);
    }

    @Test
    void controlFramesAreNoMessage() {
        assertThat(reassembly.message(WebSocketFrame.pingFrame(Buffer.buffer("p")))).isNull();
        assertThat(reassembly.message(WebSocketFrame.pongFrame(Buffer.buffer("p")))).isNull();
    }

    @Test
    void textFragmentsBecomeOneFinalTextFrame() {
        assertThat(reassembly.message(WebSocketFrame.textFrame("caf", false))).isNull();
        assertThat(reassembly.message(WebSocketFrame.continuationFrame(Buffer.buffer("é "), false))).isNull();
        WebSocketFrame whole = reassembly.message(WebSocketFrame.continuationFrame(Buffer.buffer("ok"), true));
        assertThat(whole.isText()).isTrue();
        assertThat(whole.isFinal()).isTrue();
        assertThat(whole.textData()).isEqualTo("café ok");
        assertThat(tooBig).hasValue(0);
    }

    @Test
    void binaryFragmentsBecomeOneFinalBinaryFrameAndTheNextMessageStartsAfresh() {
        assertThat(reassembly.message(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[] {1, 2}), false))).isNull();
        WebSocketFrame whole = reassembly.message(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[] {3}), true));
        assertThat(whole.isBinary()).isTrue();
        assertThat(whole.binaryData().getBytes()).containsExactly(1, 2, 3);
        WebSocketFrame next = WebSocketFrame.textFrame("next", true);
        assertThat(reassembly.message(next)).isSameAs(next);
    }

    @Test
    void aFragmentWhileAMessageIsOpenIsPartOfIt() {
        reassembly.message(WebSocketFrame.textFrame("ab", false));
        // a final continuation ends the open message, it is not a whole message of its own
        assertThat(reassembly.message(WebSocketFrame.continuationFrame(Buffer.buffer("cd"), true)).textData()).isEqualTo("abcd");
    }

    @Test
    void goingOverTheLimitReportsOnceAndDropsTheFragments() {
        assertThat(reassembly.message(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[6]), false))).isNull();
        assertThat(reassembly.message(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[5]), false))).isNull();
        assertThat(tooBig).hasValue(1);
        // exactly at the limit is fine
        reassembly.message(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[4]), false));
        assertThat(reassembly.message(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[6]), true)).binaryData().length()).isEqualTo(10);
        assertThat(tooBig).hasValue(1);
    }
}
