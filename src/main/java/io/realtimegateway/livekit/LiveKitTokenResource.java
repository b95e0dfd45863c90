package io.realtimegateway.livekit;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.quarkus.security.identity.SecurityIdentity;
import io.realtimegateway.auth.Caller;
import io.realtimegateway.auth.Roles;
import io.realtimegateway.problem.Problem;
import io.realtimegateway.problem.Problems;
import io.realtimegateway.ratelimit.RateLimiter;
import io.realtimegateway.tracing.SessionTrace;
import io.realtimegateway.tracing.Traced;
import io.realtimegateway.tracing.Tracing;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** LiveKit participant tokens for frontends. Every answer is {@code Cache-Control: no-store}: tokens are credentials. */
@Path("/api")
@Tag(name = "LiveKit tokens")
public class LiveKitTokenResource {

    private static final String NO_STORE = Problems.NO_STORE;

    private final SecurityIdentity identity;
    private final LiveKitTokenService tokens;
    private final TokenDiagnostics diagnostics;
    private final ObjectReader requestReader;
    private final RateLimiter rateLimits;
    private final Tracing tracing;

    LiveKitTokenResource(SecurityIdentity identity, LiveKitTokenService tokens, TokenDiagnostics diagnostics, ObjectMapper mapper,
            RateLimiter rateLimits, Tracing tracing) {
        this.rateLimits = rateLimits;
        this.tracing = tracing;
        this.identity = identity;
        this.tokens = tokens;
        this.diagnostics = diagnostics;
        this.requestReader = mapper.readerFor(TokenSourceRequest.class); // resolved once, not per request
    }

    /**
     * The body is read as text: livekit-client always sends JSON, but an empty POST (no body, no Content-Type)
     * must work too, and means "all defaults".
     */
    @POST
    @RolesAllowed(Roles.CALLER)
    @NonBlocking // CPU only (auth digest, JSON, HMAC): no reason to hop to a worker thread
    @Path("/livekit/token")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "LiveKit TokenSource endpoint", description = "Body: TokenSourceRequest (snake_case, camelCase aliases). 201 {server_url, participant_token}.")
    @APIResponse(responseCode = "201", description = "A participant token", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TokenSourceResponse.class)))
    @APIResponse(responseCode = "400", description = "A request field is invalid (errors[] names each)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "Missing or invalid caller credential", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "The identity, room or room_config is not allowed for this caller", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "411", description = "A body sent without Content-Length (chunked)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "413", description = "A body over gateway.http.max-body-bytes (64 KiB)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "429", description = "The caller's rate limit (GATEWAY_RATE_LIMIT_TOKENS_PER_MINUTE) is reached; Retry-After says when to retry", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "LiveKit is not configured, or the rate limit cannot be checked (state store unavailable)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<RestResponse<TokenSourceResponse>> token(@RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TokenSourceRequest.class))) String body, @Context HttpServerRequest http)
            throws JsonProcessingException {
        Caller caller = Caller.of(identity);
        SessionTrace trace = tracing.start(Traced.LIVEKIT_TOKEN, http).identity(caller.id());
        TokenSourceRequest request;
        try {
            request = body == null || body.isBlank() ? TokenSourceRequest.EMPTY : requestReader.readValue(body);
        } catch (JsonProcessingException | RuntimeException e) {
            trace.status(400).end();
            throw e;
        }
        return trace.endWith(rateLimits.admit(RateLimiter.Bucket.TOKENS, caller).map(admitted -> {
            ParticipantToken token = tokens.issue(caller, request);
            // A typed RestResponse, not a Response: Quarkus REST then picks the JSON writer once, at build time (a
            // Response's entity is looked up per request: ~7 % of a token request's CPU in the profile).
            return RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, new TokenSourceResponse(token.serverUrl(), token.jwt()))
                    .header(HttpHeaders.CACHE_CONTROL, NO_STORE)
                    .build();
        }), 201);
    }

    @GET
    @RolesAllowed(Roles.CALLER)
    @Path("/livekit-token")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "LiveKit token, simple form", description = "?room=&username= (both optional). 200 {token, server_url, expires_in, identity, room}.")
    @APIResponse(responseCode = "200", description = "A participant token", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SimpleTokenResponse.class)))
    @APIResponse(responseCode = "400", description = "A request field is invalid (errors[] names each)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "Missing or invalid caller credential", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "The identity or room is not allowed for this caller", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "429", description = "The caller's rate limit (GATEWAY_RATE_LIMIT_TOKENS_PER_MINUTE) is reached; Retry-After says when to retry", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "LiveKit is not configured, or the rate limit cannot be checked (state store unavailable)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @NonBlocking // CPU only, like the POST; the rate limit answers asynchronously
    public Uni<RestResponse<SimpleTokenResponse>> simpleToken(@QueryParam("room") String room,
            @QueryParam("username") String username, @Context HttpServerRequest http) {
        Caller caller = Caller.of(identity);
        SessionTrace trace = tracing.start(Traced.LIVEKIT_TOKEN, http).identity(caller.id());
        return trace.endWith(rateLimits.admit(RateLimiter.Bucket.TOKENS, caller).map(admitted -> {
            ParticipantToken token = tokens.issueSimple(caller, room, username);
            long expiresIn = token.expiresAt().getEpochSecond() - token.notBefore().getEpochSecond();
            return RestResponse.ResponseBuilder.ok(new SimpleTokenResponse(token.jwt(), token.serverUrl(), expiresIn, token.identity(), token.room()))
                    .header(HttpHeaders.CACHE_CONTROL, NO_STORE)
                    .build();
        }), 200);
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Path("/livekit-token/test")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Token diagnostics (admin)", description = "Configuration (fingerprints only), preflight results and a decoded sample token. "
            + "In prod it needs an admin key (GATEWAY_ADMIN_API_KEYS) and does not exist without one; in dev it is open to token callers.")
    @APIResponse(responseCode = "200", description = "The diagnostics report", content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "400", description = "A request field is invalid (errors[] names each)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "Missing or invalid admin credential", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "A token caller's credential, not an admin key; or the identity or room is not allowed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "404", description = "Prod without GATEWAY_ADMIN_API_KEYS: the endpoint is hidden", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Response test(@QueryParam("room") String room, @QueryParam("username") String username) {
        return Response.ok(diagnostics.report(Caller.of(identity), room, username)).header(HttpHeaders.CACHE_CONTROL, NO_STORE).build();
    }
}
