package io.realtimegateway.ticket;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.identity.SecurityIdentity;
import io.realtimegateway.admission.Admission;
import io.realtimegateway.admission.Door;
import io.realtimegateway.admission.Entry;
import io.realtimegateway.auth.Caller;
import io.realtimegateway.auth.Identities;
import io.realtimegateway.auth.Roles;
import io.realtimegateway.problem.Problem;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.Problems;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** Issues relay tickets, shaped like OpenAI's {@code POST /v1/realtime/client_secrets} response. */
@Path("/api/realtime/client-secret")
@Tag(name = "Realtime relay")
public class ClientSecretResource {

    private static final Logger LOG = Logger.getLogger(ClientSecretResource.class);

    private final SecurityIdentity identity;
    private final TicketService tickets;
    private final ObjectMapper mapper;
    private final Admission admission;

    ClientSecretResource(SecurityIdentity identity, TicketService tickets, ObjectMapper mapper, Admission admission) {
        this.mapper = mapper;
        this.identity = identity;
        this.tickets = tickets;
        this.admission = admission;
    }

    @POST
    @RolesAllowed(Roles.CALLER)
    @Operation(summary = "Relay ticket", description = "A short-lived, single-use ticket (ek_...) for the relay, shaped like OpenAI's client_secrets answer."
            + " API-key callers may name an identity and ask for a reusable ticket (one conversation, one live session at a time).")
    @APIResponse(responseCode = "200", description = "A relay ticket", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ClientSecretResponse.class)))
    @APIResponse(responseCode = "400", description = "A request field is invalid (errors[] names each)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "Missing or invalid caller credential", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "A caller without an API key asked for a reusable ticket or another identity", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "411", description = "A body sent without Content-Length (chunked)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "413", description = "A body over gateway.http.max-body-bytes (64 KiB)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "429", description = "The caller's rate limit (GATEWAY_RATE_LIMIT_TICKETS_PER_MINUTE) is reached, or its usage budget"
            + " for today is spent (the detail names the reset time); Retry-After says when to retry", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "The relay is off (disabled or no OpenAI key), the state store cannot answer, or the gateway is shutting down (Retry-After)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<ClientSecretResponse>> create(@Context RoutingContext routing,
            @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ClientSecretRequest.class))) String body) throws JsonProcessingException {
        Caller caller = Caller.of(identity);
        // The body is optional and often sent without a content type, so it is read here rather than by JAX-RS.
        ClientSecretRequest request = body == null || body.isBlank() ? null : mapper.readValue(body, ClientSecretRequest.class);
        Entry entry = Entry.at(Door.TICKETS).caller(caller).request(routing.request());
        ClientSecretRequest.Session asked = request == null ? null : request.session();
        Ticket.Type type = asked == null || asked.type() == null ? Ticket.Type.REALTIME : Ticket.Type.of(asked.type());
        Conversation conversation = conversation(caller, request);
        if (conversation.refusal() != null) {
            entry.malformed(conversation.refusal());
        } else if (type == null) {
            entry.malformed(Problems.invalidField("session.type", "must be realtime or transcription"));
        } else {
            entry.asks(type, asked == null ? null : asked.model());
        }
        return admission.admit(entry)
                .map(admitted -> {
                    TicketService.IssuedTicket ticket = tickets.issue(caller.id(), admitted.model(), admitted.type(), conversation.identity(),
                            conversation.reusable());
                    if (conversation.reusable()) {
                        // The id is no secret (it cannot open anything): logged so an admin can revoke the ticket.
                        LOG.infof("Issued a reusable %s relay ticket id=%s to %s for identity %s (%s)", admitted.type().wire(), ticket.id(),
                                Identities.loggable(caller.id()), conversation.identity(), admitted.model());
                    } else {
                        LOG.debugf("Issued a %s relay ticket to %s for %s", admitted.type().wire(), Identities.loggable(caller.id()), admitted.model());
                    }
                    // typed, so the JSON writer is chosen at build time, not per request
                    return RestResponse.ResponseBuilder.ok(new ClientSecretResponse(ticket.value(), ticket.expiresAt(),
                            new ClientSecretResponse.Session(admitted.type().wire(), admitted.model()), conversation.reusable() ? ticket.id() : null))
                            .header("Cache-Control", Problems.NO_STORE).build();
                });
    }

    /**
     * Who the ticket is for. An API-key caller ({@link Roles#BACKEND}) may name an identity and ask for a reusable
     * ticket (which needs one); any other caller gets a single-use ticket for itself: naming its own id is allowed,
     * asking for more is 403.
     */
    private Conversation conversation(Caller caller, ClientSecretRequest request) {
        String named = request == null ? null : request.identity();
        boolean reusable = request != null && Boolean.TRUE.equals(request.reusable());
        if (!identity.hasRole(Roles.BACKEND)) {
            if (reusable) {
                return Conversation.refused(Problems.reusableNotAllowed());
            }
            if (named != null && !named.equals(caller.id())) {
                return Conversation.refused(Problems.identityNotAllowed("identity"));
            }
            return new Conversation(null, false, null);
        }
        if (named == null) {
            return reusable ? Conversation.refused(Problems.invalidField("identity", "is required for a reusable ticket (the room or end user)"))
                    : new Conversation(null, false, null);
        }
        if (Identities.hasControlCharacter(named)) {
            return Conversation.refused(Problems.invalidField("identity", Identities.NO_CONTROL_CHARACTERS));
        }
        if (!Identities.validConversationIdentity(named)) {
            return Conversation.refused(Problems.invalidField("identity", Identities.CONVERSATION_IDENTITY_RULE));
        }
        return new Conversation(named, reusable, null);
    }

    /** The identity a ticket names (null: the caller's own), whether it is reusable, or why the request is refused. */
    private record Conversation(String identity, boolean reusable, ProblemException refusal) {
        static Conversation refused(ProblemException refusal) {
            return new Conversation(null, false, refusal);
        }
    }
}
