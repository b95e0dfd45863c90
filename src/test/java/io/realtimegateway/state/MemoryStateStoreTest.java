package io.realtimegateway.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** {@code GATEWAY_STATE=memory}: the shared contract, plus its bounded claim memory. */
class MemoryStateStoreTest extends StateStoreContract {

    private final MemoryStateStore store = new MemoryStateStore(100_000, LEASE_TTL, Duration.ofDays(32), System::currentTimeMillis);

    @Override
    StateStore store() {
        return store;
    }

    @Test
    void aFullClaimMemoryFailsClosedUntilClaimsExpire() {
        AtomicLong now = new AtomicLong(1_000_000);
        MemoryStateStore small = new MemoryStateStore(3, LEASE_TTL, Duration.ofDays(32), now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(get(small.claimOnce("t" + i, Duration.ofSeconds(60)))).isEqualTo(Claim.CLAIMED);
        }
        assertThat(get(small.claimOnce("t3", Duration.ofSeconds(60)))).as("never forgets an unexpired id").isEqualTo(Claim.MEMORY_FULL);
        assertThat(get(small.claimOnce("t0", Duration.ofSeconds(60)))).as("a full memory is not a replay answer")
                .isEqualTo(Claim.MEMORY_FULL);
        now.addAndGet(60_001);
        assertThat(get(small.claimOnce("t3", Duration.ofSeconds(60)))).isEqualTo(Claim.CLAIMED);
        assertThat(get(small.claimOnce("t3", Duration.ofSeconds(60)))).isEqualTo(Claim.ALREADY_CLAIMED);
    }

    @Test
    void usageOlderThanTheRetentionIsForgotten() {
        AtomicLong now = new AtomicLong(Duration.ofDays(20_000).toMillis());
        MemoryStateStore store = new MemoryStateStore(10, LEASE_TTL, Duration.ofDays(2), now::get);
        LocalDate day = LocalDate.ofEpochDay(20_000);
        Usage some = Usage.builder().add(UsageField.TOTAL_TOKENS, 5).build();
        get(store.addUsage("alice", day, some));
        now.addAndGet(Duration.ofDays(4).toMillis());
        for (int i = 0; i < 200; i++) { // sweeps run every so many operations
            get(store.hit("b", "c" + i, new RateLimit(1, Duration.ofSeconds(1))));
        }
        assertThat(get(store.usage("alice", day))).isEqualTo(Usage.NONE);
    }

    @Test
    void aReusableTicketsIdlePeriodCountsFromItsLastActivityOnTheStoresClock() {
        AtomicLong now = new AtomicLong(1_000_000);
        MemoryStateStore store = new MemoryStateStore(10, LEASE_TTL, Duration.ofDays(32), now::get);
        Duration idle = Duration.ofMinutes(15);
        TicketHolder first = new TicketHolder("t", "s1");
        assertThat(get(store.takeTicket(first, now.get(), idle))).isEqualTo(TicketTake.TAKEN);
        now.addAndGet(Duration.ofHours(1).toMillis());
        assertThat(get(store.keepTicket(first, idle))).as("a live session's renewal, however late").isEqualTo(TicketKeep.HELD);
        get(store.releaseTicket(first, idle));
        now.addAndGet(idle.toMillis() - 1);
        assertThat(get(store.takeTicket(new TicketHolder("t", "s2"), 0, idle))).isEqualTo(TicketTake.TAKEN);
        get(store.releaseTicket(new TicketHolder("t", "s2"), idle));
        now.addAndGet(idle.toMillis());
        assertThat(get(store.takeTicket(new TicketHolder("t", "s3"), 0, idle))).isEqualTo(TicketTake.IDLE_EXPIRED);
        assertThat(get(store.takeTicket(new TicketHolder("fresh", "s1"), now.get() - idle.toMillis() + 1, idle))).isEqualTo(TicketTake.TAKEN);
    }

    @Test
    void theMemoryOfReusableTicketsIsBoundedAndFailsClosed() {
        AtomicLong now = new AtomicLong(1_000_000);
        MemoryStateStore small = new MemoryStateStore(2, LEASE_TTL, Duration.ofDays(32), now::get);
        Duration idle = Duration.ofMinutes(1);
        assertThat(get(small.takeTicket(new TicketHolder("a", "s"), now.get(), idle))).isEqualTo(TicketTake.TAKEN);
        get(small.revokeTicket("b", Duration.ofHours(12)));
        assertThat(get(small.takeTicket(new TicketHolder("c", "s"), now.get(), idle))).isEqualTo(TicketTake.MEMORY_FULL);
        assertThatThrownBy(() -> get(small.revokeTicket("d", Duration.ofHours(12)))).isInstanceOf(StateUnavailableException.class);
        assertThat(get(small.takeTicket(new TicketHolder("b", "s"), now.get(), idle))).as("a revocation is never forgotten early")
                .isEqualTo(TicketTake.REVOKED);
        now.addAndGet(idle.toMillis());
        assertThat(get(small.takeTicket(new TicketHolder("c", "s"), now.get(), idle))).as("idle entries are swept for room")
                .isEqualTo(TicketTake.TAKEN);
    }
}
