package io.realtimegateway.usage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.realtimegateway.problem.Problems;
import io.realtimegateway.realtime.live.LiveConfig;
import io.realtimegateway.state.BudgetDecision;
import io.realtimegateway.state.StateStore;
import io.realtimegateway.state.StateUnavailableException;
import io.realtimegateway.state.Usage;
import io.realtimegateway.state.UsageField;
import io.smallrye.mutiny.Uni;

/**
 * Usage per identity and UTC day, and the token budget over it ({@code GATEWAY_REALTIME_BUDGET_TOKENS_PER_DAY}).
 * Sessions add what each {@code response.done} and transcription reports; the sum is atomic in the
 * {@link StateStore}, so replicas add to one total. What a budget counts is {@link Usage#billableTokens()}.
 * GPT-Live sessions add their seconds ({@link UsageField#LIVE_SECONDS}) to the same day, under their own budget
 * ({@code GATEWAY_LIVE_BUDGET_SECONDS_PER_DAY}).
 */
@ApplicationScoped
public class UsageMeter {

    private static final Logger LOG = Logger.getLogger(UsageMeter.class);

    private final StateStore store;
    private final long tokensPerDay;
    private final long liveSecondsPerDay;
    private final Clock clock;

    @Inject
    UsageMeter(StateStore store, BudgetConfig budget, LiveConfig live) {
        this(store, budget.tokensPerDay(), live.budgetSecondsPerDay(), Clock.systemUTC());
    }

    UsageMeter(StateStore store, long tokensPerDay, Clock clock) {
        this(store, tokensPerDay, 0, clock);
    }

    UsageMeter(StateStore store, long tokensPerDay, long liveSecondsPerDay, Clock clock) {
        this.store = store;
        this.tokensPerDay = tokensPerDay;
        this.liveSecondsPerDay = liveSecondsPerDay;
        this.clock = clock;
    }

    /** Whether a GPT-Live seconds budget is configured (0 = unlimited). */
    public boolean liveBudgeted() {
        return liveSecondsPerDay > 0;
    }

    /** The daily GPT-Live seconds budget; 0 when unlimited. */
    public long liveSecondsPerDay() {
        return liveSecondsPerDay;
    }

    /** The GPT-Live seconds left today after {@code dayTotal} (and {@code unrecorded} seconds not yet added); Long.MAX_VALUE when unlimited. */
    public long liveSecondsLeft(Usage dayTotal, long unrecorded) {
        return liveBudgeted() ? liveSecondsPerDay - dayTotal.get(UsageField.LIVE_SECONDS) - unrecorded : Long.MAX_VALUE;
    }

    /**
     * Before a GPT-Live ticket or session: fails with 429 ({@code Retry-After} until the next UTC midnight) when the
     * identity has used up today's Live seconds, 503 when the store cannot tell. Completes at once without a budget.
     */
    public Uni<Void> admitLive(String identity) {
        if (!liveBudgeted()) {
            return Uni.createFrom().voidItem();
        }
        return store.usage(identity, today())
                .onFailure(StateUnavailableException.class).transform(e -> {
                    LOG.warnf("GPT-Live budget not checked, refused: %s", e.getMessage());
                    return Problems.stateUnavailable("the usage budget");
                })
                .onItem().transformToUni(day -> liveSecondsLeft(day, 0) > 0 ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(Problems.tooManyRequests("budget-exceeded", "Usage budget exceeded",
                                liveExhaustedMessage(day.get(UsageField.LIVE_SECONDS)),
                                Math.max(1, Duration.between(Instant.now(clock), resetsAt()).toSeconds()))));
    }

    /** The words of a refusal or a session end for a spent GPT-Live budget. */
    public String liveExhaustedMessage(long used) {
        return "This identity has used " + used + " of its " + liveSecondsPerDay + " GPT-Live seconds for today (UTC); the budget resets at "
                + resetsAt() + ".";
    }

    /** The current UTC day. */
    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /** Whether a budget is configured at all (0 = unlimited). */
    public boolean budgeted() {
        return tokensPerDay > 0;
    }

    /** The daily token budget; 0 when unlimited. */
    public long tokensPerDay() {
        return tokensPerDay;
    }

    /** Whether {@code dayTotal} (an identity's usage of one day) has used up the budget. */
    public boolean exhausted(Usage dayTotal) {
        return budgeted() && dayTotal.billableTokens() >= tokensPerDay;
    }

    /** When today's budget resets: the next UTC midnight. */
    public Instant resetsAt() {
        return today().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** Adds {@code delta} to the identity's usage today; the new day totals. */
    public Uni<Usage> add(String identity, Usage delta) {
        return store.addUsage(identity, today(), delta);
    }

    /** The identity's usage on {@code day}. */
    public Uni<Usage> usage(String identity, LocalDate day) {
        return store.usage(identity, day);
    }

    /**
     * Before a ticket is issued: fails with 429 (the reset time in the detail, {@code Retry-After} until it) when the
     * identity has used up today's budget, 503 when the store cannot tell. Completes at once without a budget.
     */
    public Uni<Void> admitTicket(String identity) {
        if (!budgeted()) {
            return Uni.createFrom().voidItem();
        }
        return store.budget(identity, today(), tokensPerDay)
                .onFailure(StateUnavailableException.class).transform(e -> {
                    LOG.warnf("Budget not checked, ticket refused: %s", e.getMessage());
                    return Problems.stateUnavailable("the usage budget");
                })
                .onItem().transformToUni(decision -> decision.allowed() ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(budgetExceeded(decision)));
    }

    private RuntimeException budgetExceeded(BudgetDecision decision) {
        long seconds = Math.max(1, Duration.between(Instant.now(clock), decision.resetsAt()).toSeconds());
        return Problems.tooManyRequests("budget-exceeded", "Usage budget exceeded", exhaustedMessage(decision.used()), seconds);
    }

    /** The words of a refusal for an exhausted budget, shared by the ticket endpoint and the relay's error event. */
    public String exhaustedMessage(long used) {
        return "This identity has used " + used + " of its " + tokensPerDay + " tokens for today (UTC); the budget resets at " + resetsAt() + ".";
    }
}
