package io.realtimegateway.realtime.live;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import io.realtimegateway.config.ZeroAllowed;

/**
 * GPT-Live ({@code /v1/live/sessions}): the allowed models, the server's policy applied to {@code session.start} and
 * to later client events, and the leash on each session (length, idle, seconds per day, per-model cap).
 */
@ConfigMapping(prefix = "gateway.live")
public interface LiveConfig {

    /**
     * GPT-Live models, comma-separated; the first is the default; from {@code GATEWAY_LIVE_MODELS}. A model listed here
     * and in {@code GATEWAY_REALTIME_MODELS} too is a FAIL at boot (a ticket's type follows from its model).
     */
    @WithDefault("gpt-live-1")
    List<String> models();

    /**
     * Server instructions put in every {@code session.start}, ahead of what the client sends (which is appended after
     * them); clients can neither replace nor read them. OpenAI takes at most 16,384 tokens.
     */
    Optional<String> instructions();

    /** Delegation types clients may choose ({@code client}, {@code responses}); from {@code GATEWAY_LIVE_DELEGATION_TYPES}. */
    @WithDefault("client,responses")
    List<String> delegationTypes();

    /** Responses-backend models a {@code responses} delegation may name; unset: any model. */
    Optional<List<String>> responsesModels();

    /** Responses-backend tool types a {@code responses} delegation may use ({@code function}, {@code web_search}, ...). */
    @WithDefault("function,web_search")
    List<String> responsesTools();

    /** Whether clients may ask for {@code store: true} (recordings and forks kept by OpenAI); false forces it off. */
    @WithDefault("false")
    boolean allowStore();

    /** Maximum length of a Live session on the gateway's clock. */
    @WithDefault("30m")
    Duration maxSessionLength();

    /** A Live session without a frame in either direction for this long is closed. */
    @WithDefault("5m")
    Duration idleTimeout();

    /** Seconds of GPT-Live one identity may use per UTC day, on the gateway's clock; 0 = unlimited. */
    @WithDefault("0")
    @ZeroAllowed
    long budgetSecondsPerDay();

    /** Concurrent Live sessions per model on this replica (OpenAI's concurrency limit is per model and organization); 0 = no cap. */
    @WithDefault("0")
    @ZeroAllowed
    int maxSessionsPerModel();
}
