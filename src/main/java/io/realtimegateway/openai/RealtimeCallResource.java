package io.realtimegateway.openai;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.realtimegateway.problem.Problem;
import io.realtimegateway.problem.Problems;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code POST /v1/realtime/calls}: OpenAI's WebRTC SDP exchange, at the same path, for a browser holding a gateway
 * ticket instead of an OpenAI client secret ({@code OpenAIRealtimeWebRTC} with {@code baseUrl} set to this URL).
 */
@Path(RealtimeCallResource.PATH)
@Tag(name = "Realtime WebRTC")
public class RealtimeCallResource {

    static final String PATH = "/v1/realtime/calls";
    static final String SDP = "application/sdp";

    private final RealtimeCallService calls;

    RealtimeCallResource(RealtimeCallService calls) {
        this.calls = calls;
    }

    @POST
    @Consumes(SDP)
    @Produces(SDP)
    @Operation(summary = "WebRTC SDP exchange", description = "The browser's SDP offer with a gateway ticket (Authorization: Bearer ek_...), "
            + "as it would post to OpenAI. The gateway posts it to OpenAI with the server key and the server's session policy, and "
            + "returns OpenAI's answer; media then flows between the browser and OpenAI.")
    @APIResponse(responseCode = "201", description = "OpenAI's SDP answer", content = @Content(mediaType = SDP, schema = @Schema(type = SchemaType.STRING)),
            headers = @Header(name = "Location", description = "/v1/realtime/calls/{call_id}", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "Not an SDP offer, a model that is not allowed, or OpenAI refused the offer",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "Missing, invalid, expired or replayed ticket", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "The page's Origin is not in GATEWAY_CORS_ORIGINS (checked first: the ticket stays usable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "413", description = "The offer is over 64 KiB", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "415", description = "The body is not application/sdp", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "429", description = "A session cap is reached, the caller's rate limit (GATEWAY_RATE_LIMIT_TICKETS_PER_MINUTE, a window"
            + " of its own) or the identity's usage budget for today (these two before the ticket is redeemed), or OpenAI's rate limit;"
            + " Retry-After says when to retry", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "502", description = "OpenAI failed, refused the gateway's key, or could not be reached", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "The relay is off (disabled or no OpenAI key), the gateway is draining (Retry-After), or tickets,"
            + " limits or budgets cannot be checked", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "504", description = "OpenAI did not answer in time", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @Parameter(name = "Authorization", in = ParameterIn.HEADER, required = true, description = "Bearer and a gateway ticket (ek_...); "
            + "read by the admission pipeline, like the relay's", schema = @Schema(type = SchemaType.STRING))
    public Uni<Response> create(@Context HttpServerRequest request,
            @Parameter(description = "A model to ask for instead of the ticket's (it must be allowed)") @QueryParam("model") String model,
            @RequestBody(required = true, content = @Content(mediaType = SDP, schema = @Schema(type = SchemaType.STRING))) String offer) {
        return calls.create(request, model, offer).map(answer -> Response.status(201)
                .type(SDP)
                .header("Location", "/v1/realtime/calls/" + answer.callId())
                .header("Cache-Control", Problems.NO_STORE)
                .entity(answer.sdp())
                .build());
    }
}
