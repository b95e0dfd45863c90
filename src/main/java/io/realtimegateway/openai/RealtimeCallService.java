package io.realtimegateway.openai;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.realtimegateway.admission.Admission;
import io.realtimegateway.admission.Door;
import io.realtimegateway.admission.Entry;
import io.realtimegateway.auth.Identities;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.Problems;
import io.realtimegateway.relay.SessionLease;
import io.realtimegateway.ticket.Ticket;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * The SDP exchange of a WebRTC call, with the key kept on the server: the browser's offer and gateway ticket in,
 * OpenAI's answer and call id out. OpenAI gets the offer as the multipart form of its "unified interface" ({@code sdp}
 * plus a {@code session} the server's policy writes) with the server key; the ticket never leaves the gateway.
 * Everything the request can be refused for is decided by the admission pipeline ({@link Door#CALLS}) before OpenAI
 * is asked, and before the ticket is redeemed (so a refused request leaves it usable): the relay switch, the drain,
 * the ticket, the offer and the model, the ticket holder's rate limit and usage budget; then the ticket's claim and
 * the session slot, which the call's sideband holds until the call ends. The page's {@code Origin} is checked ahead
 * of all this, by {@link CallOrigins}.
 */
@ApplicationScoped
class RealtimeCallService {

    /** A browser's offer is a few kilobytes; this bounds what the gateway forwards. */
    static final int MAX_OFFER_BYTES = 64 * 1024;
    /** OpenAI's call ids ({@code rtc_…}); anything else in its Location is not used in a URL or a log. */
    private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Logger LOG = Logger.getLogger(RealtimeCallService.class);

    /** Per instance, not static: Quarkus initializes application classes at native build time, and a seeded generator must not be baked into the image. */
    private final SecureRandom random = new SecureRandom();

    private final Admission admission;
    private final SessionPolicy policy;
    private final CallMetrics metrics;
    private final OpenAiHttp http;
    private final CallSidebands sidebands;
    private final CallsConfig config;
    private final ObjectMapper mapper;

    RealtimeCallService(Admission admission, SessionPolicy policy, CallMetrics metrics, OpenAiHttp http, CallSidebands sidebands, CallsConfig config,
            ObjectMapper mapper) {
        this.admission = admission;
        this.policy = policy;
        this.metrics = metrics;
        this.http = http;
        this.sidebands = sidebands;
        this.config = config;
        this.mapper = mapper;
    }

    /** OpenAI's SDP answer and the call id from its {@code Location}. */
    record Answer(String sdp, String callId) {
    }

    /**
     * @param request the HTTP request: its ticket ({@code Authorization: Bearer}), read by the admission pipeline
     * @param model {@code ?model=}, null when absent (the ticket's model applies)
     * @param offer the SDP offer
     */
    Uni<Answer> create(HttpServerRequest request, String model, String offer) {
        Entry entry = Entry.at(Door.CALLS).request(request).asks(Ticket.Type.REALTIME, model);
        ProblemException bad = offerProblem(offer);
        if (bad != null) {
            entry.malformed(bad);
        }
        return admission.admit(entry).chain(admitted -> offer(admitted.identity(), admitted.model(), offer, admitted.lease()));
    }

    private Uni<Answer> offer(String identity, String model, String offer, SessionLease lease) {
        String boundary = boundary(offer);
        Buffer form = multipart(boundary, offer, policy.callSession(model).toString());
        return http.post("/realtime/calls", "multipart/form-data; boundary=" + boundary, form, identity)
                .onFailure().transform(failure -> {
                    lease.release();
                    metrics.callFailed(CallMetrics.UpstreamFailure.UNREACHABLE);
                    return UpstreamProblems.unreachable(failure, "the SDP offer");
                })
                .map(answer -> answered(answer, identity, model, lease));
    }

    private Answer answered(OpenAiHttp.Answer answer, String identity, String model, SessionLease lease) {
        if (!answer.ok()) {
            lease.release();
            metrics.callFailed(CallMetrics.UpstreamFailure.of(answer.status()));
            LOG.infof("Realtime call refused by OpenAI: identity=%s model=%s status=%d", Identities.loggable(identity), model, answer.status());
            throw UpstreamProblems.of(answer, "the SDP offer", mapper);
        }
        String location = answer.headers().get("Location");
        String callId = location == null ? null : location.substring(location.lastIndexOf('/') + 1);
        if (callId == null || !CALL_ID.matcher(callId).matches()) {
            lease.release();
            metrics.callFailed(CallMetrics.UpstreamFailure.SERVER_ERROR);
            throw new ProblemException(502, Problems.type("openai-error"), "OpenAI error",
                    "OpenAI accepted the SDP offer but named no call id (Location header); the gateway cannot control the call.");
        }
        metrics.created();
        if (config.sideband()) {
            sidebands.control(new CallSideband.Call(callId, identity, model, lease));
        } else {
            // Without the sideband the gateway never learns when the call ends, so it holds no slot for it.
            lease.release();
            LOG.infof("Realtime call started: identity=%s call=%s model=%s sideband=off", Identities.loggable(identity), callId, model);
        }
        return new Answer(answer.body(), callId);
    }

    private static ProblemException offerProblem(String offer) {
        if (offer == null || offer.isBlank()) {
            return invalid("an SDP offer is required (Content-Type: application/sdp, the offer's text as the body)");
        }
        if (offer.getBytes(StandardCharsets.UTF_8).length > MAX_OFFER_BYTES) {
            return new ProblemException(413, Problems.type("offer-too-large"), "SDP offer too large",
                    "The SDP offer is over " + MAX_OFFER_BYTES + " bytes.");
        }
        if (!offer.startsWith("v=0")) {
            return invalid("is not an SDP offer: it must start with v=0");
        }
        return null;
    }

    private static ProblemException invalid(String message) {
        return Problems.invalidField("body", message);
    }

    /** A boundary that does not occur in the offer. */
    private String boundary(String offer) {
        while (true) {
            byte[] bytes = new byte[12];
            random.nextBytes(bytes);
            String boundary = "gateway-" + HexFormat.of().formatHex(bytes);
            if (!offer.contains(boundary)) {
                return boundary;
            }
        }
    }

    /** OpenAI's call request: the parts {@code sdp} (application/sdp) and {@code session} (application/json). */
    static Buffer multipart(String boundary, String sdp, String sessionJson) {
        return Buffer.buffer()
                .appendString("--" + boundary + "\r\n")
                .appendString("Content-Disposition: form-data; name=\"sdp\"\r\n")
                .appendString("Content-Type: application/sdp\r\n\r\n")
                .appendString(sdp, "UTF-8")
                .appendString("\r\n--" + boundary + "\r\n")
                .appendString("Content-Disposition: form-data; name=\"session\"\r\n")
                .appendString("Content-Type: application/json\r\n\r\n")
                .appendString(sessionJson, "UTF-8")
                .appendString("\r\n--" + boundary + "--\r\n");
    }
}
