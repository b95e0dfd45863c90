package io.realtimegateway.problem;

import java.util.List;

/**
 * Factories for the problems more than one endpoint answers, so that each has one type, title and wording.
 * Details are shown to callers: never pass a secret, a token or a ticket.
 */
public final class Problems {

    /** The header that says in words why the relay refused, for clients that only log headers. */
    public static final String REFUSAL_HEADER = "X-Gateway-Refusal";
    /** Every answer that carries a credential (tokens, tickets) must not be cached. */
    public static final String NO_STORE = "no-store";

    private Problems() {
    }

    /** The full {@code type} URI of a problem slug. */
    public static String type(String slug) {
        return ProblemException.TYPE_BASE + slug;
    }

    /** 503: the relay is off (disabled, or no OpenAI key); the same answer at the ticket endpoint and the relay. */
    /** 413: a request body over {@code gateway.http.max-body-bytes}. */
    public static ProblemException bodyTooLarge(long maxBytes) {
        return new ProblemException(413, type("body-too-large"), "Request body too large",
                "This endpoint accepts request bodies of at most " + maxBytes + " bytes.");
    }

    /** 411: a request body without a declared length (chunked); the limit needs it up front. */
    public static ProblemException lengthRequired(long maxBytes) {
        return new ProblemException(411, type("length-required"), "Length required",
                "Send the request body with a Content-Length header (at most " + maxBytes + " bytes), not chunked.");
    }

    public static ProblemException relayUnavailable(String reason) {
        return new ProblemException(503, type("relay-unavailable"), "Realtime relay unavailable", reason)
                .withHeader(REFUSAL_HEADER, reason);
    }

    /** Seconds a client is told to wait before retrying a request this replica refused while draining (another replica serves it). */
    public static final String DRAIN_RETRY_AFTER_SECONDS = "1";

    /** 503 with {@code Retry-After}: the gateway is draining before it stops; the same answer for new relay sessions and tickets. */
    public static ProblemException shuttingDown(String what) {
        return new ProblemException(503, type("shutting-down"), "Gateway shutting down",
                "This gateway replica is shutting down and takes no new " + what + "; retry, another replica will serve it.")
                .withHeader("Retry-After", DRAIN_RETRY_AFTER_SECONDS).withHeader(REFUSAL_HEADER, "gateway shutting down");
    }

    /**
     * 503 before the upgrade: the relay's upstream is unreachable and its circuit breaker refuses new sessions without
     * dialling; {@code Retry-After} is when the next probe may run.
     */
    public static ProblemException upstreamUnavailable(long retryAfterSeconds) {
        return new ProblemException(503, type("upstream-unavailable"), "Upstream unavailable",
                "The gateway cannot reach the OpenAI Realtime API right now; try again in " + retryAfterSeconds + " s.")
                .withHeader("Retry-After", Long.toString(retryAfterSeconds)).withHeader(REFUSAL_HEADER, "upstream unavailable");
    }

    /**
     * 400: the {@code Host} header (or HTTP/2 {@code :authority}) is missing or is not {@code host[:port]}; Vert.x refuses such a
     * request before any route runs. The value is not quoted back.
     */
    public static ProblemException invalidHost() {
        return new ProblemException(400, type("invalid-host"), "Invalid Host header",
                "The request's Host header is missing or is not a valid host[:port] (the port must be 1 to 65535).");
    }

    /** 503: LiveKit is not configured, so no token can be signed. */
    public static ProblemException liveKitNotConfigured(String detail) {
        return new ProblemException(503, type("livekit-not-configured"), "LiveKit not configured", detail);
    }

    /** 503: a setting the preflight reports as broken stops this request (e.g. an invalid token pattern). */
    public static ProblemException misconfigured(String detail) {
        return new ProblemException(503, type("misconfigured"), "Gateway misconfigured", detail);
    }

    /** 400 for one invalid request field (snake_case JSON name). */
    public static ProblemException invalidField(String field, String message) {
        return ProblemException.invalid(List.of(new Problem.FieldError(field, message)));
    }

    /** 403: {@code room_config} fields the gateway does not let callers set, each named as a field error. */
    public static ProblemException roomConfigNotAllowed(String detail, List<String> refusedFields) {
        return forbidden("room-config-not-allowed", "room_config field not allowed", detail,
                refusedFields.stream().map(f -> new Problem.FieldError(f, "may not be set by clients")).toList());
    }

    /** 403: the caller asked for another participant identity than the one its JWT binds it to. */
    public static ProblemException identityNotAllowed(String field) {
        return forbidden("identity-not-allowed", "Identity not allowed",
                "The participant identity is bound to the authenticated caller (the JWT's sub).",
                List.of(new Problem.FieldError(field, "must be empty or equal to the caller's JWT subject")));
    }

    /** 403: a caller without an API key (an end user's JWT, anonymous) asked for a reusable relay ticket. */
    public static ProblemException reusableNotAllowed() {
        return forbidden("reusable-ticket-not-allowed", "Reusable ticket not allowed",
                "Reusable relay tickets are for backends that authenticate with an API key; this caller gets single-use tickets.",
                List.of(new Problem.FieldError("reusable", "is allowed for API-key callers only")));
    }

    /** 403: a reusable relay ticket where it may not be used (a browser's upgrade, a door other than the relay's). */
    public static ProblemException reusableTicketNotHere(String detail) {
        return new ProblemException(403, type("reusable-ticket-not-allowed"), "Reusable ticket not allowed here", detail);
    }

    /** 403: an agent dispatch names an agent outside {@code gateway.token.allowed-agents}. */
    public static ProblemException agentNotAllowed(List<String> allowed, String field) {
        return forbidden("agent-not-allowed", "Agent not allowed",
                "This gateway does not dispatch the requested agent; allowed: " + String.join(", ", allowed) + ".",
                List.of(new Problem.FieldError(field, "is not in gateway.token.allowed-agents")));
    }

    private static ProblemException forbidden(String slug, String title, String detail, List<Problem.FieldError> errors) {
        return new ProblemException(403, type(slug), title, detail, errors);
    }

    /**
     * 429 with {@code Retry-After} (whole seconds): a rate limit or a budget refused the request.
     *
     * @param slug {@code rate-limited} or {@code budget-exceeded}
     */
    public static ProblemException tooManyRequests(String slug, String title, String detail, long retryAfterSeconds) {
        return new ProblemException(429, type(slug), title, detail).withHeader("Retry-After", Long.toString(Math.max(1, retryAfterSeconds)));
    }

    /** 503: the shared state (Redis) cannot answer, so a limit cannot be checked; refused rather than guessed (fail closed). */
    public static ProblemException stateUnavailable(String what) {
        return new ProblemException(503, type("state-unavailable"), "State store unavailable",
                "The gateway cannot check " + what + " right now (state store unavailable); try again shortly.")
                .withHeader("Retry-After", "5");
    }
}
