package io.realtimegateway.relay;

import java.util.List;

import io.realtimegateway.admission.Denial;
import io.realtimegateway.realtime.RealtimeConfig;
import io.realtimegateway.ticket.Ticket;

/**
 * Why a session is refused right after the upgrade, in the shape OpenAI uses: an {@code invalid_request_error}
 * event with a code, then a close. The factories below are every in-band refusal the relay makes.
 *
 * @param reason the metric label, also logged
 */
record Refusal(RelayMetrics.Refused reason, String errorCode, String message, CloseCodes.Close close) implements InBandClose {

    /** OpenAI's own close for requests it refuses: 4000 with {@code invalid_request_error.<code>}. */
    static final int INVALID_REQUEST = 4000;

    /**
     * The in-band form of a refusal {@link io.realtimegateway.admission.Admission} decided (and counted).
     *
     * @param allowed the allowed models, for {@code model_not_allowed}
     */
    static Refusal of(Denial denial, List<String> allowed, RealtimeConfig config, long bufferBudget) {
        return switch (denial.reason()) {
            case BETA_CLIENT -> betaClient();
            case CALL_ID_NOT_SUPPORTED -> callIdNotSupported();
            case INVALID_INTENT -> invalidIntent();
            case MODEL_NOT_ALLOWED -> modelNotAllowed(allowed);
            case TICKET_TYPE_MISMATCH -> ticketTypeMismatch(denial.ticket().type());
            case TICKET_MODEL_MISMATCH -> ticketModelMismatch(denial.ticket().model());
            case MAX_SESSIONS, MAX_SESSIONS_PER_IDENTITY, MAX_SESSIONS_PER_CALLER -> sessionCap(denial.reason(), config);
            case BUFFER_BUDGET -> bufferBudgetSpent(bufferBudget);
            case UPSTREAM_UNAVAILABLE -> upstreamUnavailable(denial.problem().getMessage());
            default -> throw new IllegalArgumentException("not an in-band refusal: " + denial.reason());
        };
    }

    /** A Beta client (the {@code OpenAI-Beta} header or the {@code openai-beta.realtime-v1} subprotocol). */
    static Refusal betaClient() {
        return invalidRequest(RelayMetrics.Refused.BETA_CLIENT, "beta_api_shape_disabled",
                "The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.");
    }

    static Refusal callIdNotSupported() {
        return invalidRequest(RelayMetrics.Refused.CALL_ID_NOT_SUPPORTED, "call_id_not_supported",
                "This gateway relays new sessions only; call_id is not supported.");
    }

    static Refusal invalidIntent() {
        return invalidRequest(RelayMetrics.Refused.INVALID_INTENT, "invalid_intent", "Pass either model=<model> or intent=transcription.");
    }

    static Refusal modelNotAllowed(List<String> allowed) {
        return invalidRequest(RelayMetrics.Refused.MODEL_NOT_ALLOWED, "model_not_allowed",
                "The model is not allowed by this gateway. Allowed models: " + String.join(", ", allowed) + ".");
    }

    /** The ticket was issued for the other kind of session (realtime vs transcription). */
    static Refusal ticketTypeMismatch(Ticket.Type ticketType) {
        return invalidRequest(RelayMetrics.Refused.TICKET_TYPE_MISMATCH, "ticket_type_mismatch", ticketType == Ticket.Type.TRANSCRIPTION
                ? "This ticket opens a transcription session only: connect with ?intent=transcription."
                : "This ticket opens a realtime session only: connect with ?model=<the ticket's model>, not intent=transcription.");
    }

    /** The query's model is not the one the ticket was issued for. */
    static Refusal ticketModelMismatch(String ticketModel) {
        return invalidRequest(RelayMetrics.Refused.TICKET_MODEL_MISMATCH, "ticket_model_mismatch",
                "This ticket was issued for model " + ticketModel + ": connect with that model (or none), or fetch a ticket for another.");
    }

    /**
     * A session cap is reached: 1013 (try again later), the reason naming the cap.
     *
     * @param cap {@link RelayMetrics.Refused#MAX_SESSIONS}, {@code _PER_IDENTITY} or {@code _PER_CALLER}
     */
    static Refusal sessionCap(RelayMetrics.Refused cap, RealtimeConfig config) {
        String message = SessionLimiter.capMessage(cap, config);
        return new Refusal(cap, "session_limit_reached", message, CloseCodes.reason(CloseCodes.TRY_AGAIN, cap.label() + ": " + message));
    }

    /** The relay holds its whole buffer budget (gateway.realtime.max-buffered-bytes): 1013, try again later. */
    static Refusal bufferBudgetSpent(long maxBytes) {
        String message = "The gateway holds its buffer budget of " + maxBytes + " bytes for open Realtime sessions; try again later.";
        return new Refusal(RelayMetrics.Refused.BUFFER_BUDGET, "session_limit_reached", message,
                CloseCodes.reason(CloseCodes.TRY_AGAIN, RelayMetrics.Refused.BUFFER_BUDGET.label() + ": " + message));
    }

    /**
     * The upstream's circuit breaker is open ({@link UpstreamBreaker}): 1013, try again later. Only browsers get this
     * after the upgrade (they see no HTTP status); other clients get the 503 with Retry-After before it.
     */
    static Refusal upstreamUnavailable(String message) {
        return new Refusal(RelayMetrics.Refused.UPSTREAM_UNAVAILABLE, "upstream_unavailable", message,
                CloseCodes.reason(CloseCodes.TRY_AGAIN, RelayMetrics.Refused.UPSTREAM_UNAVAILABLE.label() + ": " + message));
    }

    private static Refusal invalidRequest(RelayMetrics.Refused reason, String code, String message) {
        return new Refusal(reason, code, message, CloseCodes.reason(INVALID_REQUEST, "invalid_request_error." + code));
    }

    @Override
    public void count(RelayMetrics metrics) {
        metrics.refused(reason);
    }
}
