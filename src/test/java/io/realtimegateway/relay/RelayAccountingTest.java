package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;

/** {@link DirectionAccount} and {@link PendingMessages}: what each direction counts, when it pauses its sender, and the shared budget. */
class RelayAccountingTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** One direction's meters, shared by every session as in {@link RelayMetrics}. */
    private final RelayMetrics.DirectionMeters meters = new RelayMetrics.DirectionMeters(registry, RelayMetrics.CLIENT_TO_UPSTREAM);

    private DirectionAccount account(int maxFrames, long maxBytes) {
        return new DirectionAccount(meters, RelayBudget.unbounded(), maxFrames, maxBytes);
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
        assertThat(registry.get("gateway.realtime.frames").tag("direction", "client_to_upstream").functionCounter().count())
                .as("the shared meters see a session's traffic once it publishes").isZero();
        first.publish();
        second.publish();
        second.publish(); // nothing new: nothing added twice
        assertThat(registry.get("gateway.realtime.frames").tag("direction", "client_to_upstream").functionCounter().count()).isEqualTo(3);
        assertThat(registry.get("gateway.realtime.bytes").tag("direction", "client_to_upstream").functionCounter().count()).isEqualTo(13);
    }

    @Test
    void theSenderIsPausedAtTheInFlightBoundAndResumedAtHalfOfIt() {
        RelayBudget budget = RelayBudget.unbounded();
        DirectionAccount account = new DirectionAccount(meters, budget, 100, 10);
        List<String> calls = new ArrayList<>();
        account.readsFrom(pausable(calls));
        account.sent(6);
        assertThat(calls).isEmpty();
        account.sent(4);
        assertThat(calls).as("10 bytes in flight: the bound").containsExactly("pause");
        assertThat(budget.held()).isEqualTo(10);
        account.sent(3); // already paused: no second pause
        assertThat(account.stalledLongerThan(0, System.nanoTime() + 1)).isTrue();
        account.written(6);
        assertThat(calls).as("7 bytes: over half the bound").containsExactly("pause");
        account.written(4);
        assertThat(calls).as("3 bytes").containsExactly("pause", "resume");
        assertThat(account.stalledLongerThan(0, System.nanoTime() + 1)).isFalse();
        account.written(3);
        assertThat(budget.held()).isZero();
        assertThat(registry.get("gateway.realtime.backpressure.pauses").tag("direction", "client_to_upstream").counter().count()).isEqualTo(1);
    }

    @Test
    void theFrameBoundPausesToo() {
        DirectionAccount account = account(2, 1000);
        List<String> calls = new ArrayList<>();
        account.readsFrom(pausable(calls));
        account.sent(1);
        account.sent(1);
        assertThat(calls).containsExactly("pause");
        account.written(1);
        assertThat(calls).containsExactly("pause", "resume");
    }

    /** A socket that records pause() and resume(); any other call fails the test. */
    private static WebSocketBase pausable(List<String> calls) {
        return (WebSocketBase) Proxy.newProxyInstance(RelayAccountingTest.class.getClassLoader(), new Class<?>[] {WebSocketBase.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("pause") || method.getName().equals("resume")) {
                        calls.add(method.getName());
                        return proxy;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void pendingMessagesKeepTheirOrderWithinBothBounds() {
        RelayBudget budget = RelayBudget.unbounded();
        PendingMessages pending = new PendingMessages(3, 10, budget);
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
        assertThat(budget.held()).isZero();
        assertThat(pending.offer(b, 10)).as("clear frees the bytes too").isTrue();
        assertThat(budget.held()).isEqualTo(10);
    }
}
