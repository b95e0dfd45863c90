package io.realtimegateway.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

/**
 * What every {@link StateStore} must do, run against the memory store and a real redis-server alike. Times are
 * short but bounds generous: expiry is awaited, never assumed at an instant.
 */
abstract class StateStoreContract {

    static final Duration LEASE_TTL = Duration.ofMillis(800);
    static final Duration WAIT = Duration.ofSeconds(20);

    /** A store whose leases live {@link #LEASE_TTL}. */
    abstract StateStore store();

    static <T> T get(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    // ---- single-use claims

    @Test
    void aClaimSucceedsOnceAndIsForgottenAfterItsTtl() {
        String id = unique("ticket");
        assertThat(get(store().claimOnce(id, Duration.ofMillis(600)))).isEqualTo(Claim.CLAIMED);
        assertThat(get(store().claimOnce(id, Duration.ofMillis(600)))).isEqualTo(Claim.ALREADY_CLAIMED);
        assertThat(get(store().claimOnce(unique("ticket"), Duration.ofSeconds(30)))).as("another id").isEqualTo(Claim.CLAIMED);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> get(store().claimOnce(id, Duration.ofSeconds(30))) == Claim.CLAIMED);
    }

    @Test
    void twoHundredConcurrentClaimsOfOneIdHaveExactlyOneWinner() throws Exception {
        String id = unique("ticket");
        List<Claim> results = concurrently(200, () -> get(store().claimOnce(id, Duration.ofSeconds(30))));
        assertThat(results).filteredOn(c -> c == Claim.CLAIMED).hasSize(1);
        assertThat(results).filteredOn(c -> c == Claim.ALREADY_CLAIMED).hasSize(199);
    }

    // ---- reusable tickets: one live session, idle expiry, revocation

    static final Duration TICKET_IDLE = Duration.ofSeconds(30);

    @Test
    void aNewHolderReplacesTheOldOneWhoseLateReleaseChangesNothing() {
        String ticket = unique("reusable");
        TicketHolder first = new TicketHolder(ticket, unique("session"));
        TicketHolder second = new TicketHolder(ticket, unique("session"));
        long issued = System.currentTimeMillis();
        assertThat(get(store().takeTicket(first, issued, TICKET_IDLE))).isEqualTo(TicketTake.TAKEN);
        assertThat(get(store().keepTicket(first, TICKET_IDLE))).isEqualTo(TicketKeep.HELD);
        assertThat(get(store().takeTicket(second, issued, TICKET_IDLE))).as("a reconnect takes it over").isEqualTo(TicketTake.TAKEN);
        assertThat(get(store().keepTicket(first, TICKET_IDLE))).as("the old session learns it was replaced").isEqualTo(TicketKeep.REPLACED);
        get(store().releaseTicket(first, TICKET_IDLE)); // the old socket's close, after the reconnect overtook it
        assertThat(get(store().keepTicket(second, TICKET_IDLE))).as("the old one's release frees nothing of the new one's")
                .isEqualTo(TicketKeep.HELD);
        assertThat(get(store().keepTicket(first, TICKET_IDLE))).isEqualTo(TicketKeep.REPLACED);
        get(store().releaseTicket(second, TICKET_IDLE));
        TicketHolder third = new TicketHolder(ticket, unique("session"));
        assertThat(get(store().takeTicket(third, issued, TICKET_IDLE))).as("sequential sessions reuse it").isEqualTo(TicketTake.TAKEN);
    }

    @Test
    void aRevokedTicketIsRefusedAndItsHolderLearnsIt() {
        String ticket = unique("reusable");
        TicketHolder holder = new TicketHolder(ticket, unique("session"));
        assertThat(get(store().takeTicket(holder, System.currentTimeMillis(), TICKET_IDLE))).isEqualTo(TicketTake.TAKEN);
        get(store().revokeTicket(ticket, Duration.ofHours(12)));
        assertThat(get(store().keepTicket(holder, TICKET_IDLE))).isEqualTo(TicketKeep.REVOKED);
        assertThat(get(store().takeTicket(new TicketHolder(ticket, unique("session")), System.currentTimeMillis(), TICKET_IDLE)))
                .isEqualTo(TicketTake.REVOKED);
        get(store().revokeTicket(ticket, Duration.ofHours(12))); // twice is harmless
        String never = unique("reusable");
        get(store().revokeTicket(never, Duration.ofHours(12)));
        assertThat(get(store().takeTicket(new TicketHolder(never, unique("session")), System.currentTimeMillis(), TICKET_IDLE)))
                .as("revoked before its first use").isEqualTo(TicketTake.REVOKED);
    }

    @Test
    void aTicketExpiresAfterItsIdlePeriodWithoutALiveSession() {
        Duration idle = Duration.ofMillis(1500);
        assertThat(get(store().takeTicket(new TicketHolder(unique("old"), unique("session")), System.currentTimeMillis() - 2000, idle)))
                .as("issued longer than the idle period ago and never used").isEqualTo(TicketTake.IDLE_EXPIRED);
        String ticket = unique("reusable");
        TicketHolder holder = new TicketHolder(ticket, unique("session"));
        assertThat(get(store().takeTicket(holder, System.currentTimeMillis(), idle))).isEqualTo(TicketTake.TAKEN);
        // Its live session's renewals keep it past two idle periods.
        long until = System.nanoTime() + 2 * idle.toNanos();
        while (System.nanoTime() < until) {
            assertThat(get(store().keepTicket(holder, idle))).isEqualTo(TicketKeep.HELD);
            sleep(idle.toMillis() / 4);
        }
        get(store().releaseTicket(holder, idle));
        TicketHolder next = new TicketHolder(ticket, unique("session"));
        assertThat(get(store().takeTicket(next, 0, idle))).as("just released: not idle yet").isEqualTo(TicketTake.TAKEN);
        get(store().releaseTicket(next, idle));
        sleep(idle.toMillis() + 300); // past the idle period: a lower bound, so no race
        assertThat(get(store().takeTicket(new TicketHolder(ticket, unique("session")), 0, idle))).isEqualTo(TicketTake.IDLE_EXPIRED);
    }

    // ---- session leases

    @Test
    void leasesHoldThePerIdentityAndTotalCaps() {
        String alice = unique("alice");
        String bob = unique("bob");
        LeaseCaps caps = new LeaseCaps(2, 3);
        List<Lease> held = new ArrayList<>();
        try {
            Lease a1 = lease(alice);
            Lease a2 = lease(alice);
            Lease b1 = lease(bob);
            assertThat(get(store().acquireLease(a1, caps))).isEqualTo(LeaseOutcome.GRANTED);
            held.add(a1);
            assertThat(get(store().acquireLease(a2, caps))).isEqualTo(LeaseOutcome.GRANTED);
            held.add(a2);
            assertThat(get(store().acquireLease(lease(alice), caps))).isEqualTo(LeaseOutcome.IDENTITY_FULL);
            assertThat(get(store().acquireLease(a1, caps))).as("acquiring a held lease renews it").isEqualTo(LeaseOutcome.GRANTED);
            assertThat(get(store().acquireLease(b1, caps))).isEqualTo(LeaseOutcome.GRANTED);
            held.add(b1);
            assertThat(get(store().acquireLease(lease(unique("carol")), caps))).isEqualTo(LeaseOutcome.TOTAL_FULL);

            get(store().releaseLease(a2));
            held.remove(a2);
            get(store().releaseLease(a2)); // twice is harmless
            assertThat(get(store().acquireLease(lease(unique("carol")), caps))).as("a released slot is free again")
                    .isEqualTo(LeaseOutcome.GRANTED);
        } finally {
            held.forEach(l -> get(store().releaseLease(l)));
        }
    }

    @Test
    void aCallersLeasesCountOverAllItsIdentitiesAndZeroMeansNoCallerCap() {
        String acme = unique("acme");
        LeaseCaps caps = new LeaseCaps(1, 2, 1_000_000);
        List<Lease> held = new ArrayList<>();
        try {
            Lease room1 = new Lease(acme + "/room1", acme, unique("lease"));
            Lease room2 = new Lease(acme + "/room2", acme, unique("lease"));
            assertThat(get(store().acquireLease(room1, caps))).isEqualTo(LeaseOutcome.GRANTED);
            held.add(room1);
            assertThat(get(store().acquireLease(new Lease(acme + "/room1", acme, unique("lease")), caps))).isEqualTo(LeaseOutcome.IDENTITY_FULL);
            assertThat(get(store().acquireLease(room2, caps))).isEqualTo(LeaseOutcome.GRANTED);
            held.add(room2);
            assertThat(get(store().acquireLease(new Lease(acme + "/room3", acme, unique("lease")), caps))).isEqualTo(LeaseOutcome.CALLER_FULL);
            assertThat(get(store().acquireLease(room1, caps))).as("renewing a held lease is no new slot").isEqualTo(LeaseOutcome.GRANTED);
            Lease room3 = new Lease(acme + "/room3", acme, unique("lease"));
            assertThat(get(store().acquireLease(room3, new LeaseCaps(1, 0, 1_000_000)))).as("no caller cap").isEqualTo(LeaseOutcome.GRANTED);
            held.add(room3);
            get(store().releaseLease(room2));
            held.remove(room2);
            // room3 (no caller cap) and room1 are held: 2, the cap
            assertThat(get(store().acquireLease(new Lease(acme + "/room4", acme, unique("lease")), caps))).isEqualTo(LeaseOutcome.CALLER_FULL);
        } finally {
            held.forEach(l -> get(store().releaseLease(l)));
        }
    }

    @Test
    void anUnrenewedLeaseExpiresWithinItsTtlAndARenewedOneDoesNot() {
        String alice = unique("alice");
        LeaseCaps oneEach = new LeaseCaps(1, 1_000_000);
        Lease dead = lease(alice); // its replica was killed: nobody renews it
        assertThat(get(store().acquireLease(dead, oneEach))).isEqualTo(LeaseOutcome.GRANTED);
        assertThat(get(store().acquireLease(lease(alice), oneEach))).isEqualTo(LeaseOutcome.IDENTITY_FULL);
        Instant taken = Instant.now();
        Lease next = lease(alice);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> get(store().acquireLease(next, oneEach)) == LeaseOutcome.GRANTED);
        assertThat(Duration.between(taken, Instant.now())).as("not freed before the TTL").isGreaterThanOrEqualTo(LEASE_TTL.minusMillis(200));
        assertThat(get(store().renewLease(dead))).as("the expired lease is lost").isFalse();

        // Renewed every quarter TTL for two TTLs, the live lease keeps its slot.
        long until = System.nanoTime() + 2 * LEASE_TTL.toNanos();
        while (System.nanoTime() < until) {
            assertThat(get(store().renewLease(next))).isTrue();
            assertThat(get(store().acquireLease(lease(alice), oneEach))).isEqualTo(LeaseOutcome.IDENTITY_FULL);
            sleep(LEASE_TTL.toMillis() / 4);
        }
        get(store().releaseLease(next));
        assertThat(get(store().renewLease(next))).as("a released lease cannot be renewed").isFalse();
    }

    @Test
    void concurrentAcquiresNeverExceedTheCap() throws Exception {
        String alice = unique("alice");
        LeaseCaps caps = new LeaseCaps(5, 1_000_000);
        List<Lease> leases = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            leases.add(lease(alice));
        }
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < leases.size(); i++) {
            indexes.add(i);
        }
        List<LeaseOutcome> outcomes = concurrently(indexes.size(), new Callable<>() {
            private final AtomicInteger next = new AtomicInteger();

            @Override
            public LeaseOutcome call() {
                return get(store().acquireLease(leases.get(next.getAndIncrement()), caps));
            }
        });
        assertThat(outcomes).filteredOn(o -> o == LeaseOutcome.GRANTED).hasSize(5);
        leases.forEach(l -> get(store().releaseLease(l)));
    }

    // ---- rate limits

    @Test
    void aFixedWindowAllowsTheLimitThenRefusesUntilItEnds() {
        String caller = unique("caller");
        RateLimit limit = new RateLimit(3, Duration.ofMillis(700));
        for (int i = 1; i <= 3; i++) {
            RateDecision decision = get(store().hit("tokens", caller, limit));
            assertThat(decision.allowed()).as("request %d", i).isTrue();
            assertThat(decision.count()).isEqualTo(i);
        }
        RateDecision refused = get(store().hit("tokens", caller, limit));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.limit()).isEqualTo(3);
        assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(700));
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(get(store().hit("tickets", caller, limit)).allowed()).as("another bucket counts apart").isTrue();
        assertThat(get(store().hit("tokens", unique("other"), limit)).allowed()).as("another caller counts apart").isTrue();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> get(store().hit("tokens", caller, limit)).count() == 1);
    }

    @Test
    void concurrentHitsAreCountedExactly() throws Exception {
        String caller = unique("caller");
        RateLimit limit = new RateLimit(50, Duration.ofMinutes(5));
        List<RateDecision> decisions = concurrently(120, () -> get(store().hit("tickets", caller, limit)));
        assertThat(decisions).filteredOn(RateDecision::allowed).hasSize(50);
        assertThat(decisions).extracting(RateDecision::count).doesNotHaveDuplicates().contains(1L, 120L);
    }

    // ---- usage and budgets

    @Test
    void usageAddsUpPerIdentityAndDay() {
        String alice = unique("alice");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Usage response = Usage.builder().add(UsageField.INPUT_TOKENS, 120).add(UsageField.OUTPUT_TOKENS, 80).add(UsageField.TOTAL_TOKENS, 200)
                .add(UsageField.INPUT_AUDIO_TOKENS, 100).add(UsageField.INPUT_TEXT_TOKENS, 20).add(UsageField.CACHED_TOKENS, 64)
                .add(UsageField.CACHED_AUDIO_TOKENS, 64).add(UsageField.OUTPUT_AUDIO_TOKENS, 70).add(UsageField.OUTPUT_TEXT_TOKENS, 10)
                .add(UsageField.RESPONSES, 1).build();
        Usage transcription = Usage.builder().add(UsageField.TRANSCRIPTION_INPUT_TOKENS, 30).add(UsageField.TRANSCRIPTION_OUTPUT_TOKENS, 5)
                .add(UsageField.TRANSCRIPTION_TOTAL_TOKENS, 35).add(UsageField.TRANSCRIPTION_MILLIS, 2500).build();

        assertThat(get(store().usage(alice, today))).isEqualTo(Usage.NONE);
        assertThat(get(store().addUsage(alice, today, response))).isEqualTo(response);
        Usage total = get(store().addUsage(alice, today, response.plus(transcription)));
        assertThat(total.get(UsageField.TOTAL_TOKENS)).isEqualTo(400);
        assertThat(total.get(UsageField.CACHED_AUDIO_TOKENS)).isEqualTo(128);
        assertThat(total.get(UsageField.RESPONSES)).isEqualTo(2);
        assertThat(total.get(UsageField.TRANSCRIPTION_MILLIS)).isEqualTo(2500);
        assertThat(total.billableTokens()).isEqualTo(435);
        assertThat(get(store().usage(alice, today))).isEqualTo(total);
        assertThat(get(store().usage(alice, today.minusDays(1)))).as("another day").isEqualTo(Usage.NONE);
        assertThat(get(store().usage(unique("bob"), today))).as("another identity").isEqualTo(Usage.NONE);
    }

    @Test
    void concurrentAdditionsLoseNothing() throws Exception {
        String alice = unique("alice");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Usage one = Usage.builder().add(UsageField.TOTAL_TOKENS, 7).add(UsageField.RESPONSES, 1).build();
        concurrently(100, () -> get(store().addUsage(alice, today, one)));
        Usage total = get(store().usage(alice, today));
        assertThat(total.get(UsageField.TOTAL_TOKENS)).isEqualTo(700);
        assertThat(total.get(UsageField.RESPONSES)).isEqualTo(100);
    }

    @Test
    void theBudgetRefusesOnceTheDaysTokensReachIt() {
        String alice = unique("alice");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        BudgetDecision fresh = get(store().budget(alice, today, 1000));
        assertThat(fresh.allowed()).isTrue();
        assertThat(fresh.remaining()).isEqualTo(1000);
        assertThat(fresh.resetsAt()).isEqualTo(today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));

        get(store().addUsage(alice, today, Usage.builder().add(UsageField.TOTAL_TOKENS, 900).build()));
        assertThat(get(store().budget(alice, today, 1000)).remaining()).isEqualTo(100);
        get(store().addUsage(alice, today, Usage.builder().add(UsageField.TRANSCRIPTION_TOTAL_TOKENS, 100).build()));
        BudgetDecision spent = get(store().budget(alice, today, 1000));
        assertThat(spent.allowed()).isFalse();
        assertThat(spent.used()).isEqualTo(1000);
        assertThat(get(store().budget(alice, today.plusDays(1), 1000)).allowed()).as("a new UTC day starts afresh").isTrue();
    }

    // ---- helpers

    static Lease lease(String identity) {
        return new Lease(identity, UUID.randomUUID().toString());
    }

    /** Runs the task on {@code n} threads released at once, and returns every result. */
    static <T> List<T> concurrently(int n, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return task.call();
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
