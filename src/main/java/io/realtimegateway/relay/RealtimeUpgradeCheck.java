package io.realtimegateway.relay;

import io.realtimegateway.ticket.Ticket;
import io.realtimegateway.ticket.TicketRejectedException;
import io.realtimegateway.ticket.TicketService;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.config.RealtimeConfig;
import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.Problems;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Guards the relay's WebSocket upgrade. A missing, forged, expired or replayed ticket is refused with 401 before
 * any upstream connection exists; a disabled relay with 503. Everything else that is refused (beta clients,
 * models outside the allow-list) is refused in-band after the upgrade, because browsers never see an HTTP status.
 */
@ApplicationScoped
class RealtimeUpgradeCheck {

    static final String SUBPROTOCOL_KEY_PREFIX = "openai-insecure-api-key.";
    static final String BETA_SUBPROTOCOL = "openai-beta.realtime-v1";

    private final TicketService tickets;
    private final OpenAiCredentials openai;
    private final RealtimeConfig config;
    private final RelayMetrics metrics;

    RealtimeUpgradeCheck(TicketService tickets, OpenAiCredentials openai, RealtimeConfig config, RelayMetrics metrics) {
        this.tickets = tickets;
        this.openai = openai;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * The plan for an upgrade request, redeeming its ticket; refusals before the upgrade fail the result with a
     * problem (401 for ticket problems, 503 when the relay is off or the ticket store cannot tell).
     */
    Uni<SessionPlan> admit(HttpServerRequest request) {
        if (!openai.relayEnabled()) {
            metrics.refused("disabled");
            return Uni.createFrom().failure(Problems.relayUnavailable(openai.disabledReason()));
        }
        List<String> subprotocols = subprotocols(request);
        return tickets.redeem(credential(request, subprotocols))
                .onFailure(TicketRejectedException.class).transform(failure -> refusal((TicketRejectedException) failure))
                .map(ticket -> plan(ticket, request, subprotocols));
    }

    private ProblemException refusal(TicketRejectedException e) {
        metrics.refused("ticket_" + e.reason().name().toLowerCase());
        String challenge = "Bearer realm=\"realtime-gateway\", error=\"invalid_token\", error_description=\"" + e.getMessage() + "\"";
        ProblemException problem = e.reason() == TicketRejectedException.Reason.MEMORY_FULL
                || e.reason() == TicketRejectedException.Reason.STATE_UNAVAILABLE
                ? new ProblemException(503, Problems.type("relay-unavailable"), "Realtime relay unavailable", e.getMessage())
                : new ProblemException(401, Problems.type("unauthorized"), "Unauthorized", e.getMessage());
        return problem.withHeader("WWW-Authenticate", challenge);
    }

    private SessionPlan plan(Ticket ticket, HttpServerRequest request, List<String> subprotocols) {
        String identity = ticket.callerId();
        if (request.getHeader("OpenAI-Beta") != null || subprotocols.contains(BETA_SUBPROTOCOL)) {
            return refused(identity, new SessionPlan.Refusal("beta_client", "invalid_request_error", "beta_api_shape_disabled",
                    "The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.",
                    4000, "invalid_request_error.beta_api_shape_disabled"));
        }
        String intent = request.getParam("intent");
        String model = request.getParam("model");
        if (request.getParam("call_id") != null) {
            return refused(identity, invalidRequest("call_id_not_supported", "This gateway relays new sessions only; call_id is not supported."));
        }
        if (intent != null) {
            if (!intent.equals("transcription") || model != null) {
                return refused(identity, invalidRequest("invalid_intent", "Pass either model=<model> or intent=transcription."));
            }
            return new SessionPlan(identity, null, true, null);
        }
        String effective = model != null ? model : (ticket.model() != null ? ticket.model() : config.models().get(0));
        if (!config.models().contains(effective)) {
            return refused(identity, new SessionPlan.Refusal("model_not_allowed", "invalid_request_error", "model_not_allowed",
                    "The model is not allowed by this gateway. Allowed models: " + String.join(", ", config.models()) + ".",
                    4000, "invalid_request_error.model_not_allowed"));
        }
        return new SessionPlan(identity, effective, false, null);
    }

    private static SessionPlan.Refusal invalidRequest(String code, String message) {
        return new SessionPlan.Refusal(code, "invalid_request_error", code, message, 4000, "invalid_request_error." + code);
    }

    private static SessionPlan refused(String identity, SessionPlan.Refusal refusal) {
        return new SessionPlan(identity, null, false, refusal);
    }

    /** The ticket from {@code Authorization: Bearer}, else from the {@code openai-insecure-api-key.} subprotocol. */
    static String credential(HttpServerRequest request, List<String> subprotocols) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        for (String protocol : subprotocols) {
            if (protocol.startsWith(SUBPROTOCOL_KEY_PREFIX)) {
                return protocol.substring(SUBPROTOCOL_KEY_PREFIX.length());
            }
        }
        return null;
    }

    static List<String> subprotocols(HttpServerRequest request) {
        List<String> result = new ArrayList<>();
        for (String header : request.headers().getAll("Sec-WebSocket-Protocol")) {
            for (String part : header.split(",")) {
                String trimmed = part.trim();
                if (!trimmed.isEmpty()) {
                    result.add(trimmed);
                }
            }
        }
        return result;
    }
}
