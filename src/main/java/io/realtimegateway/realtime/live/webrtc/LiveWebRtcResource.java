package io.realtimegateway.realtime.live.webrtc;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.realtimegateway.problem.Problem;
import io.realtimegateway.problem.Problems;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code POST /v1/live/sessions}: GPT-Live's WebRTC create, at OpenAI's path and in its JSON shape, for a browser
 * holding a gateway ticket of type {@code live} instead of the project key (GPT-Live has no client secrets). The page's
 * {@code Origin} is checked first, as for the Realtime calls ({@link io.realtimegateway.openai.CallOrigins}, registered by {@link LiveWebRtcService}).
 */
@Path(LiveWebRtcResource.PATH)
@Tag(name = "GPT-Live WebRTC")
public class LiveWebRtcResource {

    static final String PATH = "/v1/live/sessions";

    private final LiveWebRtcService service;

    LiveWebRtcResource(LiveWebRtcService service) {
        this.service = service;
    }

    /** OpenAI's create answer: {@code {"session":{"id"},"transport":{"type":"webrtc","sdp"}}}. */
    @RegisterForReflection
    public record Created(SessionId session, Transport transport) {
    }

    @RegisterForReflection
    public record SessionId(String id) {
    }

    @RegisterForReflection
    public record Transport(String type, String sdp) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "GPT-Live WebRTC session", description = "The browser's {session, transport:{type:\"webrtc\", sdp}} with a gateway ticket"
            + " of type live (Authorization: Bearer ek_...), as it would post to OpenAI from a trusted server. The gateway applies the Live policy"
            + " (model, server instructions, delegation and tool allow-lists, store, the data channel's allowed client events), creates the"
            + " session with the server key, attaches its sideband, and returns OpenAI's session id and SDP answer; media and the oai-events"
            + " data channel then flow between the browser and OpenAI.")
    @APIResponse(responseCode = "201", description = "OpenAI's session id and SDP answer", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Created.class)))
    @APIResponse(responseCode = "400", description = "Not a WebRTC create, a model, delegation, tool or store not allowed, a ticket of another type"
            + " or model, or OpenAI refused the session", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "Missing, invalid, expired or replayed ticket", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "The page's Origin is not in GATEWAY_CORS_ORIGINS (checked first: the ticket stays usable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "413", description = "The offer is over 64 KiB, or the body over 512 KiB", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "415", description = "The body is not application/json", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "429", description = "A session cap, the caller's rate limit, the identity's GPT-Live seconds for today, or OpenAI's"
            + " rate limit; Retry-After says when to retry", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "502", description = "OpenAI failed, refused the gateway's key, could not be reached, or the gateway could not attach"
            + " its sideband (the session was then closed)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "The relay is off, the gateway is draining (Retry-After), or tickets, limits or budgets cannot be"
            + " checked", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "504", description = "OpenAI did not answer in time", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @Parameter(name = "Authorization", in = ParameterIn.HEADER, required = true, description = "Bearer and a gateway ticket of type live (ek_...);"
            + " read by the admission pipeline", schema = @Schema(type = SchemaType.STRING))
    public Uni<Response> create(@Context HttpServerRequest request,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT))) String body) {
        return service.create(request, body).map(answer -> Response.status(201)
                .type(MediaType.APPLICATION_JSON)
                .header("Cache-Control", Problems.NO_STORE)
                .entity(new Created(new SessionId(answer.sessionId()), new Transport("webrtc", answer.sdp())))
                .build());
    }
}
