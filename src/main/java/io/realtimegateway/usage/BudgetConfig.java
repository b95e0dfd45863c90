package io.realtimegateway.usage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import io.realtimegateway.config.ZeroAllowed;

/** Per-identity usage budgets of the relay ({@code GATEWAY_REALTIME_BUDGET_*}), per UTC day; 0 means unlimited. */
@ConfigMapping(prefix = "gateway.realtime.budget")
public interface BudgetConfig {

    /**
     * Tokens one identity may spend per UTC day: responses' total tokens plus transcriptions' total tokens. Checked at
     * ticket issuance (429) and at every client {@code response.create} (an {@code error} event, not forwarded); 0 = unlimited.
     */
    @WithDefault("0")
    @ZeroAllowed
    long tokensPerDay();
}
