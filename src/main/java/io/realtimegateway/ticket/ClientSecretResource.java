package io.realtimegateway.ticket;

import io.realtimegateway.auth.Identities;
import io.realtimegateway.relay.RelayMetrics;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
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

import io.realtimegateway.auth.Caller;
import io.realtimegateway.auth.CallerAuthenticator;
import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.health.Drain;
import io.realtimegateway.problem.Problem;
import io.realtimegateway.problem.Problems;
import io.realtimegateway.ratelimit.RateLimiter;
import io.realtimegateway.relay.RealtimeConfig;
import io.realtimegateway.usage.UsageMeter;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** Issues relay tickets, shaped like OpenAI's {@code POST /v1/realtime/client_secrets} response. */
@Path("/api/realtime/client-secret")
@Tag(name = "Realtime relay")
public class ClientSecretResource {

    private static final Logger LOG = Logger.getLogger(ClientSecretResource.class);

    private final CallerAuthenticator authenticator;
    private final TicketService tickets;
    private final OpenAiCredentials openai;
    private final RealtimeConfig config;
    private final RelayMetrics metrics;
    private final ObjectMapper mapper;
    private final Drain drain;
    private final RateLimiter rateLimits;
    private final UsageMeter usage;

    ClientSecretResource(CallerAuthenticator authenticator, TicketService tickets, OpenAiCredentials openai, RealtimeConfig config,
            RelayMetrics metrics, ObjectMapper mapper, Drain drain, RateLimiter rateLimits, UsageMeter usage) {
        this.rateLimits = rateLimits;
        this.usage = usage;
        this.mapper = mapper;
        this.drain = drain;
        this.authenticator = authenticator;
        this.tickets = tickets;
        this.openai = openai;
        this.config = config;
        this.metrics = metrics;
    }

    @POST
    @Operation(summary = "Relay ticket", description = "A short-lived, single-use ticket (ek_...) for the relay, shaped like OpenAI's client_secrets answer.")
    @APIResponse(responseCode = "200", description = "A relay ticket", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ClientSecretResponse.class)))
    @APIResponse(responseCode = "400", description = "A request field is invalid (errors[] names each)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "Missing or invalid caller credential", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "411", description = "A body sent without Content-Length (chunked)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "413", description = "A body over gateway.http.max-body-bytes (64 KiB)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "429", description = "The caller's rate limit (GATEWAY_RATE_LIMIT_TICKETS_PER_MINUTE) is reached, or its usage budget"
            + " for today is spent (the detail names the reset time); Retry-After says when to retry", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "The relay is off (disabled or no OpenAI key), the state store cannot answer, or the gateway is shutting down (Retry-After)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<ClientSecretResponse>> create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context RoutingContext routing,
            @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ClientSecretRequest.class))) String body) throws JsonProcessingException {
        Caller caller = authenticator.authenticate(routing, authorization);
        // The body is optional and often sent without a content type, so it is read here rather than by JAX-RS.
        ClientSecretRequest request = body == null || body.isBlank() ? null : mapper.readValue(body, ClientSecretRequest.class);
        if (!openai.relayEnabled()) {
            metrics.refused(RelayMetrics.Refused.DISABLED);
            throw Problems.relayUnavailable(openai.disabledReason());
        }
        if (drain.draining()) {
            metrics.refused(RelayMetrics.Refused.SHUTTING_DOWN);
            throw Problems.shuttingDown("relay tickets");
        }
        ClientSecretRequest.Session asked = request == null ? null : request.session();
        Ticket.Type type = asked == null || asked.type() == null ? Ticket.Type.REALTIME : Ticket.Type.of(asked.type());
        if (type == null) {
            throw Problems.invalidField("session.type", "must be realtime or transcription");
        }
        String model = asked == null || asked.model() == null ? config.models().get(0) : asked.model();
        if (!config.models().contains(model)) {
            throw Problems.invalidField("session.model", "is not allowed here; allowed models: " + String.join(", ", config.models()));
        }
        return rateLimits.admit(RateLimiter.Bucket.TICKETS, caller)
                .onItem().transformToUni(admitted -> usage.admitTicket(caller.id()))
                .map(admitted -> {
                    TicketService.IssuedTicket ticket = tickets.issue(caller.id(), model, type);
                    LOG.debugf("Issued a %s relay ticket to %s for %s", type.wire(), Identities.loggable(caller.id()), model);
                    // typed, so the JSON writer is chosen at build time, not per request
                    return RestResponse.ResponseBuilder.ok(new ClientSecretResponse(ticket.value(), ticket.expiresAt(),
                            new ClientSecretResponse.Session(type.wire(), model))).header("Cache-Control", Problems.NO_STORE).build();
                });
    }
}
