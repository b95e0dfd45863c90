package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.http.WebSocketFrame;

/** {@link DirectionAccount} and {@link PendingMessages}: what each direction counts and how far it may run ahead. */
class RelayAccountingTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private DirectionAccount account(int maxFrames, long maxBytes) {
        return new DirectionAccount(new RelayMetrics.DirectionMeters(registry, RelayMetrics.CLIENT_TO_UPSTREAM), maxFrames, maxBytes);
    }

    @Test
    void receivedMessagesCountInTheSessionAndInTheSharedMeters() {
        DirectionAccount first = account(10, 100);
        DirectionAccount second = account(10, 100);
        first.received(5);
        first.received(7);
        second.received(1);
        assertThat(first.frames()).isEqualTo(2);
        assertThat(first.bytes()).isEqualTo(12);
        assertThat(second.frames()).isEqualTo(1);
        assertThat(registry.get("gateway.realtime.frames").tag("direction", "client_to_upstream").counter().count()).isEqualTo(3);
        assertThat(registry.get("gateway.realtime.bytes").tag("direction", "client_to_upstream").counter().count()).isEqualTo(13);
    }

    @Test
    void inFlightIsBoundedByFramesAndCompletedWritesMakeRoom() {
        DirectionAccount account = account(2, 1000);
        assertThat(account.admit(1)).isTrue();
        assertThat(account.admit(1)).isTrue();
        assertThat(account.admit(1)).as("a third frame in flight").isFalse();
        account.written(1);
        assertThat(account.admit(1)).isTrue();
    }

    @Test
    void inFlightIsBoundedByBytes() {
        DirectionAccount account = account(100, 10);
        assertThat(account.admit(6)).isTrue();
        assertThat(account.admit(5)).as("11 bytes in flight").isFalse();
        assertThat(account.admit(4)).as("exactly the bound").isTrue();
        account.written(6);
        assertThat(account.admit(6)).isTrue();
        assertThat(account.admit(11)).as("alone over the bound").isFalse();
    }

    @Test
    void pendingMessagesKeepTheirOrderWithinBothBounds() {
        PendingMessages pending = new PendingMessages(3, 10);
        WebSocketFrame a = WebSocketFrame.textFrame("a", true);
        WebSocketFrame b = WebSocketFrame.textFrame("b", true);
        assertThat(pending.offer(a, 4)).isTrue();
        assertThat(pending.offer(b, 6)).isTrue();
        assertThat(pending.offer(a, 1)).as("11 bytes").isFalse();
        assertThat(pending.poll().frame()).isSameAs(a);
        assertThat(pending.offer(a, 4)).as("room again after a poll").isTrue();
        assertThat(pending.offer(a, 0)).isTrue();
        assertThat(pending.offer(a, 0)).as("a fourth message").isFalse();
        assertThat(pending.poll()).isEqualTo(new PendingMessages.Held(b, 6));
        pending.clear();
        assertThat(pending.poll()).isNull();
        assertThat(pending.offer(b, 10)).as("clear frees the bytes too").isTrue();
    }
}
