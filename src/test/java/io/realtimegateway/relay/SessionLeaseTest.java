package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.realtimegateway.state.Lease;
import io.realtimegateway.state.LeaseCaps;
import io.realtimegateway.state.LeaseOutcome;
import io.realtimegateway.state.StateConfig;
import io.realtimegateway.state.StateStore;
import io.realtimegateway.state.TestStateStores;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Session caps as leases (memory store, real timers): per-identity and total caps, renewal on the holder's event
 * loop keeps a lease past its TTL, release frees it, and a lost lease is taken again, or ends the session when its
 * slot went to another session meanwhile.
 */
class SessionLeaseTest {

    private static final Duration TTL = Duration.ofMillis(600);

    private final Vertx vertx = Vertx.vertx();
    private final Context loop = vertx.getOrCreateContext();
    private final StateStore store = TestStateStores.inMemory(1000, TTL, System::currentTimeMillis);

    @AfterEach
    void closeVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private SessionLimiter limiter(int total, int perIdentity) {
        return new SessionLimiter(RelayUnitsTest.config(Map.of("maxSessions", total, "maxSessionsPerIdentity", perIdentity, "reusableTicketIdle",
                Duration.ofMinutes(15))), stateConfig(), store, vertx, new TicketSessions());
    }

    private <T> T onLoop(Supplier<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.runOnContext(v -> result.complete(action.get()));
        return result.orTimeout(10, TimeUnit.SECONDS).join();
    }

    private SessionLimiter.Slot acquire(SessionLimiter limiter, String identity) {
        return limiter.acquire(identity).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void capsCountPerIdentityAndInTotalAndReleaseFreesASlot() {
        SessionLimiter limiter = limiter(3, 2);
        SessionLimiter.Slot alice = acquire(limiter, "alice");
        assertThat(alice.cap()).isNull();
        assertThat(acquire(limiter, "alice").cap()).isNull();
        assertThat(acquire(limiter, "alice").cap()).isEqualTo(RelayMetrics.Refused.MAX_SESSIONS_PER_IDENTITY);
        assertThat(acquire(limiter, "bob").cap()).isNull();
        assertThat(acquire(limiter, "carol").cap()).isEqualTo(RelayMetrics.Refused.MAX_SESSIONS);
        onLoop(() -> {
            alice.lease().release();
            return null;
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> acquire(limiter, "carol").cap() == null);
        assertThat(acquire(limiter, "alice").cap()).isEqualTo(RelayMetrics.Refused.MAX_SESSIONS);
    }

    @Test
    void aCallersConversationsEachHaveTheirOwnCapAndTogetherTheCallersCap() {
        SessionLimiter limiter = new SessionLimiter(RelayUnitsTest.config(Map.of("maxSessions", 100, "maxSessionsPerIdentity", 1,
                "maxSessionsPerCaller", 2, "reusableTicketIdle", Duration.ofMinutes(15))), stateConfig(), store, vertx, new TicketSessions());
        SessionLimiter.Slot room1 = limiter.acquire("acme/room1", "acme", null).await().atMost(Duration.ofSeconds(10));
        assertThat(room1.cap()).isNull();
        assertThat(limiter.acquire("acme/room1", "acme", null).await().atMost(Duration.ofSeconds(10)).cap())
                .isEqualTo(RelayMetrics.Refused.MAX_SESSIONS_PER_IDENTITY);
        assertThat(limiter.acquire("acme/room2", "acme", null).await().atMost(Duration.ofSeconds(10)).cap()).as("another conversation").isNull();
        assertThat(limiter.acquire("acme/room3", "acme", null).await().atMost(Duration.ofSeconds(10)).cap())
                .isEqualTo(RelayMetrics.Refused.MAX_SESSIONS_PER_CALLER);
        assertThat(limiter.acquire("other/room3", "other", null).await().atMost(Duration.ofSeconds(10)).cap()).as("another caller").isNull();
        onLoop(() -> {
            room1.lease().release();
            return null;
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.acquire("acme/room3", "acme", null).await().atMost(Duration.ofSeconds(10)).cap() == null);
    }

    @Test
    void aKeptLeaseOutlivesItsTtlAndAnUnkeptOneExpires() throws Exception {
        SessionLimiter limiter = limiter(10, 1);
        SessionLimiter.Slot kept = acquire(limiter, "alice");
        AtomicInteger ticks = new AtomicInteger();
        onLoop(() -> {
            kept.lease().keep(ticks::incrementAndGet, () -> {
            });
            return null;
        });
        acquire(limiter, "bob"); // never kept: a replica that died
        Thread.sleep(3 * TTL.toMillis());
        assertThat(acquire(limiter, "alice").cap()).as("renewed past its TTL").isEqualTo(RelayMetrics.Refused.MAX_SESSIONS_PER_IDENTITY);
        assertThat(acquire(limiter, "bob").cap()).as("expired without renewal").isNull();
        assertThat(ticks.get()).as("one tick per renewal, about every TTL/3").isBetween(3, 20);
        onLoop(() -> {
            kept.lease().release();
            return null;
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> acquire(limiter, "alice").cap() == null);
    }

    @Test
    void aLostLeaseIsTakenAgainWhileItsSlotIsFree() {
        SessionLimiter limiter = limiter(10, 1);
        SessionLimiter.Slot slot = acquire(limiter, "alice");
        AtomicBoolean lost = new AtomicBoolean();
        onLoop(() -> {
            slot.lease().keep(() -> {
            }, () -> lost.set(true));
            return null;
        });
        store.releaseLease(slot.lease().lease()).await().indefinitely(); // as if Redis restarted empty
        Lease probe = new Lease("alice", "probe");
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            // taken again by the holder: a probe for the same identity is refused (and never held)
            LeaseOutcome outcome = store.acquireLease(probe, new LeaseCaps(1, 10)).await().indefinitely();
            store.releaseLease(probe).await().indefinitely();
            return outcome == LeaseOutcome.IDENTITY_FULL;
        });
        assertThat(lost).isFalse();
        onLoop(() -> {
            slot.lease().release();
            return null;
        });
    }

    @Test
    void aLostLeaseWhoseSlotWentToAnotherSessionEndsTheSession() {
        SessionLimiter limiter = limiter(10, 1);
        SessionLimiter.Slot slot = acquire(limiter, "alice");
        AtomicBoolean lost = new AtomicBoolean();
        onLoop(() -> {
            slot.lease().keep(() -> {
            }, () -> lost.set(true));
            return null;
        });
        store.releaseLease(slot.lease().lease()).await().indefinitely();
        assertThat(acquire(limiter, "alice").cap()).as("another session takes the freed slot").isNull();
        await().atMost(Duration.ofSeconds(5)).untilTrue(lost);
    }

    private static StateConfig stateConfig() {
        return (StateConfig) Proxy.newProxyInstance(SessionLeaseTest.class.getClassLoader(), new Class<?>[] {StateConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "leaseTtl" -> TTL;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
