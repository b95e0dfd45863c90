package io.realtimegateway.realtime.live.webrtc;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.realtimegateway.tracing.SessionTrace;
import io.realtimegateway.admission.Admission;
import io.realtimegateway.admission.Door;
import io.realtimegateway.admission.Entry;
import io.realtimegateway.auth.Identities;
import io.realtimegateway.openai.CallMetrics;
import io.realtimegateway.openai.CallOrigins;
import io.realtimegateway.openai.OpenAiHttp;
import io.realtimegateway.openai.UpstreamProblems;
import io.realtimegateway.problem.Problem;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.Problems;
import io.realtimegateway.realtime.live.LivePolicy;
import io.realtimegateway.relay.SessionLease;
import io.realtimegateway.ticket.Ticket;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;

/**
 * GPT-Live's WebRTC create with the key kept on the server: the browser's {@code {session, transport:{type:"webrtc",
 * sdp}}} and gateway ticket in; OpenAI's session id and SDP answer out, once the gateway's sideband is attached.
 * <ol>
 * <li>The body is parsed here; its problems, like the ticket, the model, the rate limit, the identity's Live seconds
 * today and the session slot, are decided by the admission pipeline ({@link Door#LIVE_WEBRTC}) before OpenAI is asked
 * and before the ticket is spent. The page's {@code Origin} is checked ahead of all this
 * ({@link io.realtimegateway.openai.CallOrigins}).</li>
 * <li>The {@code session} is put under the Live policy ({@link LivePolicy#start}: model, server instructions first,
 * delegation and tool allow-lists, {@code store}), as the WebSocket relay does to {@code session.start}, and the
 * browser's data channel is restricted ({@link DataChannelPolicy}), since the gateway never sees that channel.</li>
 * <li>OpenAI creates the session with the server key; the gateway attaches its sideband ({@link LiveSidebands})
 * <b>before</b> it answers, because a sideband replays nothing. If the attach fails the session is hung up and the
 * answer is 502.</li>
 * </ol>
 */
@ApplicationScoped
class LiveWebRtcService {

    /** A browser's offer is a few kilobytes; this bounds what the gateway forwards. */
    static final int MAX_OFFER_BYTES = 64 * 1024;
    /** The whole body: the offer plus a session (instructions, input messages) well within OpenAI's own limits. */
    static final int MAX_BODY_BYTES = 512 * 1024;
    /** OpenAI's session ids ({@code live_…}): kept opaque, but only such text is put in a URL or a log. */
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Logger LOG = Logger.getLogger(LiveWebRtcService.class);

    private final Admission admission;
    private final LivePolicy policy;
    private final DataChannelPolicy dataChannel;
    private final OpenAiHttp http;
    private final LiveSidebands sidebands;
    private final LiveWebRtcMetrics metrics;
    private final ObjectMapper mapper;

    LiveWebRtcService(Admission admission, LivePolicy policy, DataChannelPolicy dataChannel, OpenAiHttp http, LiveSidebands sidebands,
            LiveWebRtcMetrics metrics, ObjectMapper mapper) {
        this.admission = admission;
        this.policy = policy;
        this.dataChannel = dataChannel;
        this.http = http;
        this.sidebands = sidebands;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    /** The page check of the create, ahead of Quarkus's CORS filter (POSTs and preflights only: the WebSocket relay has its own). */
    void guardOrigins(@Observes Router router, CallOrigins origins) {
        origins.guardPosts(router, LiveWebRtcResource.PATH);
    }

    /** OpenAI's session id and SDP answer. */
    record Answer(String sessionId, String sdp) {
    }

    /** What the browser asked for: its session options (a copy to rewrite) and its offer. */
    private record Asked(ObjectNode session, String offer) {
    }

    /**
     * @param request the HTTP request: its ticket ({@code Authorization: Bearer}), read by the admission pipeline
     * @param body the request body as sent
     */
    Uni<Answer> create(HttpServerRequest request, String body) {
        Asked asked = null;
        ProblemException bad;
        try {
            asked = parse(body);
            bad = null;
        } catch (ProblemException problem) {
            bad = problem;
        }
        String model = asked == null ? null : asked.session().path("model").isTextual() ? asked.session().get("model").asText() : null;
        Entry entry = Entry.at(Door.LIVE_WEBRTC).request(request).asks(Ticket.Type.LIVE, model);
        if (bad != null) {
            entry.malformed(bad);
        }
        Asked held = asked;
        return admission.admit(entry).chain(admitted -> {
            ObjectNode session;
            try {
                session = session(held.session(), admitted.model());
            } catch (ProblemException refused) {
                admitted.lease().release();
                throw refused;
            }
            return create(admitted.identity(), admitted.model(), session, held.offer(), admitted.lease());
        });
    }

    /** The session OpenAI is asked for: the browser's options under the Live policy, the data channel restricted. */
    ObjectNode session(ObjectNode asked, String model) {
        ObjectNode start = mapper.createObjectNode();
        start.put("type", "session.start");
        start.set("session", asked);
        LivePolicy.Verdict verdict = policy.start(start, model);
        if (verdict instanceof LivePolicy.End end) {
            String field = end.param() == null ? "session" : end.param();
            throw new ProblemException(400, Problems.type(end.code().replace('_', '-')), "Session not allowed", end.message(),
                    List.of(new Problem.FieldError(field, end.message())));
        }
        ObjectNode session = verdict instanceof LivePolicy.Rewrite rewrite ? (ObjectNode) rewrite.event().get("session") : asked;
        dataChannel.restrict(session);
        return session;
    }

    private Uni<Answer> create(String identity, String model, ObjectNode session, String offer, SessionLease lease) {
        ObjectNode body = mapper.createObjectNode();
        body.set("session", session);
        ObjectNode transport = body.putObject("transport");
        transport.put("type", "webrtc");
        transport.put("sdp", offer);
        return http.post("/live/sessions", "application/json", Buffer.buffer(body.toString()), identity, SessionTrace.NONE)
                .onFailure().transform(failure -> {
                    lease.release();
                    metrics.failed(CallMetrics.UpstreamFailure.UNREACHABLE);
                    return UpstreamProblems.unreachable(failure, "the GPT-Live session");
                })
                .chain(answer -> created(answer, identity, model, lease));
    }

    private Uni<Answer> created(OpenAiHttp.Answer answer, String identity, String model, SessionLease lease) {
        if (!answer.ok()) {
            lease.release();
            metrics.failed(CallMetrics.UpstreamFailure.of(answer.status()));
            LOG.infof("GPT-Live session refused by OpenAI: identity=%s model=%s status=%d", Identities.loggable(identity), model, answer.status());
            throw UpstreamProblems.of(answer, "the GPT-Live session", mapper);
        }
        JsonNode json;
        try {
            json = mapper.readTree(answer.body());
        } catch (JsonProcessingException e) {
            json = mapper.createObjectNode();
        }
        String id = json.path("session").path("id").asText(null);
        String sdp = json.path("transport").path("sdp").asText(null);
        if (id == null || !SESSION_ID.matcher(id).matches() || sdp == null || !sdp.startsWith("v=0")) {
            if (id != null && SESSION_ID.matcher(id).matches()) {
                sidebands.hangUp(id);
            }
            lease.release();
            metrics.failed(CallMetrics.UpstreamFailure.SERVER_ERROR);
            throw new ProblemException(502, Problems.type("openai-error"), "OpenAI error",
                    "OpenAI answered the GPT-Live session without a session id or an SDP answer; the gateway cannot leash it.");
        }
        return sidebands.attach(new LiveSideband.Session(id, identity, model, lease))
                .onFailure().transform(failure -> new ProblemException(502, Problems.type("sideband-failed"), "Session not controllable",
                        "OpenAI created the GPT-Live session, but the gateway could not attach its sideband to control it, so it closed the"
                                + " session; try again."))
                .replaceWith(new Answer(id, sdp));
    }

    /** The body's shape: {@code {session?, transport:{type:"webrtc", sdp}}}, nothing else (OpenAI's schema is strict). */
    private Asked parse(String body) {
        if (body == null || body.isBlank()) {
            throw Problems.invalidField("body", "a JSON body {session, transport:{type: \"webrtc\", sdp}} is required");
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw Problems.bodyTooLarge(MAX_BODY_BYTES);
        }
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw Problems.invalidField("body", "is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw Problems.invalidField("body", "expected a JSON object");
        }
        for (var names = json.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!name.equals("session") && !name.equals("transport")) {
                throw Problems.invalidField(name, "is not a field of a GPT-Live session create (session, transport)");
            }
        }
        JsonNode session = json.get("session");
        if (session != null && !session.isNull() && !session.isObject()) {
            throw Problems.invalidField("session", "expected an object");
        }
        JsonNode transport = json.get("transport");
        if (transport == null || !transport.isObject() || !"webrtc".equals(transport.path("type").asText(null))) {
            throw Problems.invalidField("transport.type", "must be webrtc (the WebSocket transport is WS /v1/live/sessions)");
        }
        String offer = transport.path("sdp").asText(null);
        if (offer == null || !offer.startsWith("v=0")) {
            throw Problems.invalidField("transport.sdp", "must be the browser's SDP offer (starting v=0)");
        }
        if (offer.getBytes(StandardCharsets.UTF_8).length > MAX_OFFER_BYTES) {
            throw new ProblemException(413, Problems.type("offer-too-large"), "SDP offer too large", "The SDP offer is over " + MAX_OFFER_BYTES + " bytes.");
        }
        JsonNode model = session == null ? null : session.get("model");
        if (model != null && !model.isNull() && !model.isTextual()) {
            throw Problems.invalidField("session.model", "must be a string");
        }
        ObjectNode copy = session == null || session.isNull() ? mapper.createObjectNode() : ((ObjectNode) session).deepCopy();
        return new Asked(copy, offer);
    }
}
