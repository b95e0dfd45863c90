package io.realtimegateway.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.auth.OriginPolicy;
import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.Problems;
import io.realtimegateway.ticket.Ticket;
import io.realtimegateway.ticket.TicketRejectedException;
import io.realtimegateway.ticket.TicketService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Admits the relay's WebSocket upgrade. A missing, forged, expired or replayed ticket is refused with 401 before
 * any upstream connection exists; a disabled relay with 503. Everything else that is refused (beta clients,
 * models outside the allow-list) is refused in-band after the upgrade, because browsers never see an HTTP status.
 */
@ApplicationScoped
class RelayAdmission {

    private static final String SUBPROTOCOL_KEY_PREFIX = "openai-insecure-api-key.";
    private static final String BETA_SUBPROTOCOL = "openai-beta.realtime-v1";

    private final TicketService tickets;
    private final OpenAiCredentials openai;
    private final RealtimeConfig config;
    private final RelayMetrics metrics;
    private final OriginPolicy origins;

    RelayAdmission(TicketService tickets, OpenAiCredentials openai, RealtimeConfig config, RelayMetrics metrics, OriginPolicy origins) {
        this.origins = origins;
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
        Optional<ProblemException> badOrigin = origins.refusal(request);
        if (badOrigin.isPresent()) {
            return Uni.createFrom().failure(badOrigin.get());
        }
        if (!openai.relayEnabled()) {
            metrics.refused(RelayMetrics.Refused.DISABLED);
            return Uni.createFrom().failure(Problems.relayUnavailable(openai.disabledReason()));
        }
        List<String> subprotocols = subprotocols(request);
        return tickets.redeem(credential(request, subprotocols))
                .onFailure(TicketRejectedException.class).transform(failure -> refusal((TicketRejectedException) failure))
                .map(ticket -> plan(ticket, request, subprotocols));
    }

    private ProblemException refusal(TicketRejectedException e) {
        metrics.refused(e.refused());
        return e.problem();
    }

    private SessionPlan plan(Ticket ticket, HttpServerRequest request, List<String> subprotocols) {
        String identity = ticket.callerId();
        if (request.getHeader("OpenAI-Beta") != null || subprotocols.contains(BETA_SUBPROTOCOL)) {
            return SessionPlan.refused(identity, Refusal.betaClient());
        }
        String intent = request.getParam("intent");
        String model = request.getParam("model");
        if (request.getParam("call_id") != null) {
            return SessionPlan.refused(identity, Refusal.callIdNotSupported());
        }
        if (intent != null) {
            if (!intent.equals("transcription") || model != null) {
                return SessionPlan.refused(identity, Refusal.invalidIntent());
            }
            if (ticket.type() != Ticket.Type.TRANSCRIPTION) {
                return SessionPlan.refused(identity, Refusal.ticketTypeMismatch(ticket.type()));
            }
            return new SessionPlan(identity, null, true, null);
        }
        if (ticket.type() != Ticket.Type.REALTIME) {
            return SessionPlan.refused(identity, Refusal.ticketTypeMismatch(ticket.type()));
        }
        // The ticket names the model; the query may repeat it but not change it.
        if (model != null && !model.equals(ticket.model())) {
            return SessionPlan.refused(identity, Refusal.ticketModelMismatch(ticket.model()));
        }
        if (!config.models().contains(ticket.model())) {
            return SessionPlan.refused(identity, Refusal.modelNotAllowed(config.models()));
        }
        return new SessionPlan(identity, ticket.model(), false, null);
    }

    /** The ticket from {@code Authorization: Bearer}, else from the {@code openai-insecure-api-key.} subprotocol. */
    private static String credential(HttpServerRequest request, List<String> subprotocols) {
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

    private static List<String> subprotocols(HttpServerRequest request) {
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
