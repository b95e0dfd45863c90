package io.realtimegateway.usage;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One identity's usage of one UTC day, as {@code GET /api/realtime/usage} answers it.
 *
 * @param usage the counters by their stored names ({@code input_tokens}, {@code cached_audio_tokens}, …); zero ones left out
 * @param billableTokens what a budget counts: responses' plus transcriptions' total tokens
 * @param budget the daily budget, absent when unlimited
 */
public record UsageReport(String identity, String day, Map<String, Long> usage, @JsonProperty("billable_tokens") long billableTokens,
        @JsonInclude(JsonInclude.Include.NON_NULL) Budget budget) {

    /** The budget of that day. */
    public record Budget(@JsonProperty("tokens_per_day") long tokensPerDay, long remaining, boolean exhausted,
            @JsonProperty("resets_at") String resetsAt) {
    }
}
