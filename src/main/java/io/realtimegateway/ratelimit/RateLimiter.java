package io.realtimegateway.ratelimit;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.realtimegateway.auth.Caller;
import io.realtimegateway.auth.Identities;
import io.realtimegateway.problem.Problems;
import io.realtimegateway.state.RateLimit;
import io.realtimegateway.state.StateStore;
import io.realtimegateway.state.StateUnavailableException;
import io.smallrye.mutiny.Uni;

/**
 * Per-caller rate limits of the token and ticket endpoints ({@code GATEWAY_RATE_LIMIT_*}), counted in the
 * {@link StateStore} so that every replica shares them in redis mode. A refusal is 429 problem+json with
 * {@code Retry-After}; a store that cannot answer is 503 (fail closed). An unlimited bucket never touches the store.
 * Refusals are counted in {@code gateway_rate_limit_refusals_total{bucket}}: no caller label.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);
    private static final Duration WINDOW = Duration.ofMinutes(1);

    /** What is limited: the key part of the counters and the metric label. */
    public enum Bucket {
        /** The LiveKit token endpoints. */
        TOKENS("LiveKit tokens"),
        /** The relay ticket endpoint and OpenAI client secrets ({@code POST /v1/realtime/client_secrets}). */
        TICKETS("relay tickets or client secrets"),
        /**
         * WebRTC calls ({@code POST /v1/realtime/calls}), under the tickets' limit in a window of their own: a call
         * redeems a ticket that already counted, so sharing the tickets' window would count every call twice.
         */
        CALLS("WebRTC calls");

        private final String what;

        Bucket(String what) {
            this.what = what;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final StateStore store;
    private final Map<Bucket, RateLimit> limits = new EnumMap<>(Bucket.class);
    private final Map<Bucket, Counter> refusals = new EnumMap<>(Bucket.class);

    RateLimiter(StateStore store, RateLimitConfig config, MeterRegistry registry) {
        this.store = store;
        if (config.tokensPerMinute() > 0) {
            limits.put(Bucket.TOKENS, new RateLimit(config.tokensPerMinute(), WINDOW));
        }
        if (config.ticketsPerMinute() > 0) {
            limits.put(Bucket.TICKETS, new RateLimit(config.ticketsPerMinute(), WINDOW));
            limits.put(Bucket.CALLS, new RateLimit(config.ticketsPerMinute(), WINDOW));
        }
        for (Bucket bucket : Bucket.values()) {
            refusals.put(bucket, registry.counter("gateway.rate_limit.refusals", "bucket", bucket.label()));
        }
    }

    /**
     * Counts one request of {@code caller}; fails with a 429 problem when the caller is over the limit, 503 when the
     * store cannot tell. Completes at once for an unlimited bucket.
     */
    public Uni<Void> admit(Bucket bucket, Caller caller) {
        RateLimit limit = limits.get(bucket);
        if (limit == null) {
            return Uni.createFrom().voidItem();
        }
        return store.hit(bucket.label(), caller.id(), limit)
                .onFailure(StateUnavailableException.class).transform(e -> {
                    LOG.warnf("Rate limit of %s not checked, request refused: %s", bucket.label(), e.getMessage());
                    return Problems.stateUnavailable("the rate limit");
                })
                .onItem().transformToUni(decision -> {
                    if (decision.allowed()) {
                        return Uni.createFrom().voidItem();
                    }
                    refusals.get(bucket).increment();
                    LOG.debugf("Rate limit of %s reached by %s (%d per minute)", bucket.label(), Identities.loggable(caller.id()), limit.requests());
                    return Uni.createFrom().failure(Problems.tooManyRequests("rate-limited", "Too many requests",
                            "This caller may request " + limit.requests() + " " + bucket.what + " per minute; retry in "
                                    + decision.retryAfterSeconds() + " s.", decision.retryAfterSeconds()));
                });
    }
}
