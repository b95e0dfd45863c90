package io.realtimegateway.admission;

import io.realtimegateway.ratelimit.RateLimiter;

/**
 * The ways into an OpenAI session, and what each brings to {@link Admission}'s steps. A new door (a service door) is a constant here plus one {@link Admission#admit} call after its own parsing.
 */
public enum Door {
    /** The relay's WebSocket upgrade, {@code /v1/realtime}: a ticket, refusals after the upgrade in-band. */
    RELAY("relay sessions", Origins.RELAY, Credential.TICKET, null, Budget.BUFFERS, true, true),
    /**
     * The GPT-Live relay's WebSocket upgrade, {@code /v1/live/sessions}: a ticket of type {@code live}, refusals after
     * the upgrade in-band; its budget adds the identity's Live seconds to the relay's.
     */
    LIVE("GPT-Live sessions", Origins.RELAY, Credential.TICKET, null, Budget.LIVE, true, true),
    /** The WebRTC SDP exchange, {@code POST /v1/realtime/calls}: a ticket, refusals as problem+json. */
    CALLS("WebRTC calls", Origins.CALLS, Credential.TICKET, RateLimiter.Bucket.CALLS, Budget.USAGE, false, true),
    /**
     * GPT-Live's WebRTC create, {@code POST /v1/live/sessions}: a ticket of type {@code live}, refusals as problem+json;
     * its budget is the identity's Live seconds today.
     */
    LIVE_WEBRTC("GPT-Live WebRTC sessions", Origins.CALLS, Credential.TICKET, RateLimiter.Bucket.CALLS, Budget.USAGE, false, true),
    /** Relay tickets, {@code POST /api/realtime/client-secret}: an authenticated caller; issues a ticket. */
    TICKETS("relay tickets", Origins.CORS_FILTER, Credential.CALLER, RateLimiter.Bucket.TICKETS, Budget.USAGE, false, false),
    /** OpenAI client secrets, {@code POST /v1/realtime/client_secrets}: an authenticated caller; mints a secret upstream. */
    CLIENT_SECRETS("OpenAI client secrets", Origins.CORS_FILTER, Credential.CALLER, RateLimiter.Bucket.TICKETS, Budget.USAGE, false, false),
    /** The console's try-it: the console's admin, on the management port; issues a ticket for the relay door. */
    TRY_IT("the console's relay try-it", Origins.CORS_FILTER, Credential.CALLER, null, Budget.NONE, false, false);

    /** Which Origin rule applies ({@link io.realtimegateway.auth.OriginPolicy}). */
    enum Origins {
        /** Checked by the pipeline: the relay's rule (browsers apply no CORS to WebSockets). */
        RELAY,
        /** Checked ahead of Quarkus's CORS filter by a route of its own ({@code CallOrigins}), with the same rule. */
        CALLS,
        /** An ordinary HTTP request: Quarkus's CORS filter applies the rule before the pipeline runs. */
        CORS_FILTER
    }

    /** What the credential step takes. */
    enum Credential {
        /** A gateway ticket from the request ({@code Authorization: Bearer}, or the relay's subprotocol). */
        TICKET,
        /** A caller authenticated before the resource ran ({@code /api/*}'s gate, the console's admin check). */
        CALLER
    }

    /** What the budget step checks. */
    enum Budget {
        /** The identity's usage budget for today ({@code GATEWAY_REALTIME_BUDGET_TOKENS_PER_DAY}). */
        USAGE,
        /** The gateway's buffer budget ({@code gateway.realtime.max-buffered-bytes}): the relay holds what it relays. */
        BUFFERS,
        /** The relay's ({@link #BUFFERS}), then the identity's GPT-Live seconds for today ({@code GATEWAY_LIVE_BUDGET_SECONDS_PER_DAY}). */
        LIVE,
        /** None: the console's own session, which spends no caller's budget. */
        NONE
    }

    private final String what;
    private final Origins origins;
    private final Credential credential;
    private final RateLimiter.Bucket bucket;
    private final Budget budget;
    private final boolean inBand;
    private final boolean leases;

    Door(String what, Origins origins, Credential credential, RateLimiter.Bucket bucket, Budget budget, boolean inBand, boolean leases) {
        this.what = what;
        this.origins = origins;
        this.credential = credential;
        this.bucket = bucket;
        this.budget = budget;
        this.inBand = inBand;
        this.leases = leases;
    }

    /** What a refusal names: "relay sessions", "WebRTC calls", ... */
    public String what() {
        return what;
    }

    Origins origins() {
        return origins;
    }

    Credential credential() {
        return credential;
    }

    /** The rate limit of the door; null when it has none of its own (the relay: its ticket was rate limited). */
    RateLimiter.Bucket bucket() {
        return bucket;
    }

    Budget budget() {
        return budget;
    }

    /**
     * Whether binding, budget and lease refusals come after the upgrade (an error event and a close, which browsers
     * can read) rather than as an HTTP status.
     */
    public boolean inBand() {
        return inBand;
    }

    /** Whether the door holds a concurrent-session slot for what it opens. */
    boolean leases() {
        return leases;
    }
}
