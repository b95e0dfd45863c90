package io.realtimegateway.openai;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.identity.SecurityIdentity;
import io.realtimegateway.admission.Admission;
import io.realtimegateway.admission.Door;
import io.realtimegateway.admission.Entry;
import io.realtimegateway.auth.Caller;
import io.realtimegateway.auth.Roles;
import io.realtimegateway.problem.Problem;
import io.realtimegateway.problem.Problems;
import io.realtimegateway.tracing.SessionTrace;
import io.realtimegateway.tracing.Traced;
import io.realtimegateway.tracing.Tracing;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/realtime/client_secrets}: OpenAI's own path and shape, so that
 * {@code client.realtime.clientSecrets.create()} with {@code baseURL <gateway>/v1} and the caller's gateway
 * credential works unchanged. The secret is minted by OpenAI with the server key, under the server policy.
 */
@Path("/v1/realtime/client_secrets")
@Tag(name = "Realtime WebRTC")
public class OpenAiClientSecretsResource {

    private final SecurityIdentity identity;
    private final ClientSecretMinter minter;
    private final ObjectMapper mapper;
    private final Admission admission;
    private final Tracing tracing;

    OpenAiClientSecretsResource(SecurityIdentity identity, ClientSecretMinter minter, ObjectMapper mapper, Admission admission, Tracing tracing) {
        this.tracing = tracing;
        this.admission = admission;
        this.identity = identity;
        this.minter = minter;
        this.mapper = mapper;
    }

    @POST
    @RolesAllowed(Roles.CALLER)
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "OpenAI client secret", description = "Mints an OpenAI client secret (ek_...) upstream with the server key: the model must "
            + "be allowed (default: the first), the server instructions replace the caller's, and the expiry is cut to the configured "
            + "maximum. The holder of an OpenAI client secret can change the session's options itself; prefer /v1/realtime/calls "
            + "when the policy must hold.")
    @APIResponse(responseCode = "200", description = "OpenAI's answer: value, expires_at, session", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "400", description = "A request field is invalid (errors[] names each), or OpenAI refused the request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "Missing or invalid caller credential", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "429", description = "OpenAI's rate limit, the caller's (GATEWAY_RATE_LIMIT_TICKETS_PER_MINUTE, shared with relay tickets),"
            + " or the identity's usage budget for today; Retry-After says when to retry", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "502", description = "OpenAI failed, refused the gateway's key, or could not be reached", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "The relay or client secrets are off, the replica is shutting down (Retry-After), or the state store cannot answer", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "504", description = "OpenAI did not answer in time", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<Response> create(@Context RoutingContext routing, @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT,
                    description = "OpenAI's RealtimeCreateClientSecretRequest: expires_after {anchor, seconds}, session {type, model, instructions, ...}")))
            String body) throws JsonProcessingException {
        Caller caller = Caller.of(identity);
        SessionTrace trace = tracing.start(Traced.CLIENT_SECRET, routing.request());
        JsonNode request;
        try {
            minter.checkEnabled();
            // The body is optional and often sent without a content type, so it is read here rather than by JAX-RS.
            request = body == null || body.isBlank() ? null : mapper.readTree(body);
        } catch (JsonProcessingException | RuntimeException e) {
            trace.identity(caller.id()).failed(e instanceof JsonProcessingException ? Problems.invalidField("body", "is not JSON") : e).end();
            throw e;
        }
        // The rate limit is one bucket with the relay tickets: both are credentials that spend OpenAI money for this caller.
        return trace.endWith(admission.admit(Entry.at(Door.CLIENT_SECRETS).caller(caller).request(routing.request()).trace(trace))
                .chain(admitted -> minter.mint(caller, request, trace)).map(answer -> Response.ok(answer, MediaType.APPLICATION_JSON)
                .header("Cache-Control", Problems.NO_STORE)
                .build()), 200);
    }
}
