package io.realtimegateway.state;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Tokens used against a per-day budget; the budget resets at {@code resetsAt} (the next UTC midnight). */
public record BudgetDecision(boolean allowed, long used, long budget, Instant resetsAt) {

    static BudgetDecision of(long used, long budget, LocalDate day) {
        return new BudgetDecision(used < budget, used, budget, day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    public long remaining() {
        return Math.max(0, budget - used);
    }
}
