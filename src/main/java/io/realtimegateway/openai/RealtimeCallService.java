package io.realtimegateway.openai;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.realtimegateway.auth.Caller;
import io.realtimegateway.auth.Identities;
import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.health.Drain;
import io.realtimegateway.problem.Problem;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.Problems;
import io.realtimegateway.ratelimit.RateLimiter;
import io.realtimegateway.relay.RealtimeConfig;
import io.realtimegateway.relay.RelayMetrics;
import io.realtimegateway.relay.SessionLease;
import io.realtimegateway.relay.SessionLimiter;
import io.realtimegateway.state.StateUnavailableException;
import io.realtimegateway.ticket.Ticket;
import io.realtimegateway.ticket.TicketRejectedException;
import io.realtimegateway.ticket.TicketService;
import io.realtimegateway.usage.UsageMeter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * The SDP exchange of a WebRTC call, with the key kept on the server: the browser's offer and gateway ticket in,
 * OpenAI's answer and call id out. OpenAI gets the offer as the multipart form of its "unified interface" ({@code sdp}
 * plus a {@code session} the server's policy writes) with the server key; the ticket never leaves the gateway.
 * Everything the request can be refused for is checked before OpenAI is asked, and everything that does not need
 * the ticket's claim before the ticket is redeemed (so a refused request leaves it usable): the drain, the offer, the
 * model, then the ticket holder's rate limit ({@link RateLimiter.Bucket#CALLS}) and usage budget. The session slot is
 * taken after the claim and held by the call's sideband until the call ends. The page's {@code Origin} is checked
 * ahead of all this, by {@link CallOrigins}.
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

    private final OpenAiCredentials openai;
    private final TicketService tickets;
    private final SessionPolicy policy;
    private final SessionLimiter limiter;
    private final RelayMetrics relayMetrics;
    private final CallMetrics metrics;
    private final OpenAiHttp http;
    private final CallSidebands sidebands;
    private final CallsConfig config;
    private final RealtimeConfig realtime;
    private final ObjectMapper mapper;
    private final Drain drain;
    private final RateLimiter rateLimits;
    private final UsageMeter usage;

    RealtimeCallService(OpenAiCredentials openai, TicketService tickets, SessionPolicy policy, SessionLimiter limiter, RelayMetrics relayMetrics,
            CallMetrics metrics, OpenAiHttp http, CallSidebands sidebands, CallsConfig config, RealtimeConfig realtime, ObjectMapper mapper,
            Drain drain, RateLimiter rateLimits, UsageMeter usage) {
        this.openai = openai;
        this.tickets = tickets;
        this.policy = policy;
        this.limiter = limiter;
        this.relayMetrics = relayMetrics;
        this.metrics = metrics;
        this.http = http;
        this.sidebands = sidebands;
        this.config = config;
        this.realtime = realtime;
        this.mapper = mapper;
        this.drain = drain;
        this.rateLimits = rateLimits;
        this.usage = usage;
    }

    /** OpenAI's SDP answer and the call id from its {@code Location}. */
    record Answer(String sdp, String callId) {
    }

    /**
     * @param ticket the bearer credential the browser sent (a gateway ticket), null when none
     * @param model {@code ?model=}, null when absent (the ticket's model applies)
     * @param offer the SDP offer
     */
    Uni<Answer> create(String ticket, String model, String offer) {
        if (!openai.relayEnabled()) {
            relayMetrics.refused(RelayMetrics.Refused.DISABLED);
            return Uni.createFrom().failure(Problems.relayUnavailable(openai.disabledReason()));
        }
        if (drain.draining()) {
            relayMetrics.refused(RelayMetrics.Refused.SHUTTING_DOWN);
            return Uni.createFrom().failure(Problems.shuttingDown("WebRTC calls"));
        }
        // Checked before the ticket is redeemed, so a malformed request does not spend it.
        ProblemException bad = offerProblem(offer);
        if (bad != null) {
            return Uni.createFrom().failure(bad);
        }
        if (model != null && !policy.allowed(model)) {
            return Uni.createFrom().failure(modelNotAllowed());
        }
        Ticket holder;
        try {
            holder = tickets.verify(ticket);
        } catch (TicketRejectedException rejected) {
            return Uni.createFrom().failure(rejected(rejected));
        }
        // The ticket's caller id is the identity that rate limits, budgets and caps key on, as for its issuance.
        return rateLimits.admit(RateLimiter.Bucket.CALLS, new Caller(holder.callerId()))
                .chain(() -> usage.admitTicket(holder.callerId()))
                .chain(() -> tickets.redeem(ticket).onFailure(TicketRejectedException.class).transform(failure -> rejected((TicketRejectedException) failure)))
                .chain(redeemed -> call(redeemed, model, offer));
    }

    private ProblemException rejected(TicketRejectedException rejected) {
        relayMetrics.refused(rejected.refused());
        return rejected.problem();
    }

    private Uni<Answer> call(Ticket ticket, String asked, String offer) {
        // A ticket opens only what it was issued for, as at the WebSocket relay.
        if (ticket.type() != Ticket.Type.REALTIME) {
            return Uni.createFrom().failure(ticketMismatch("ticket-type-mismatch",
                    "This ticket was issued for a transcription session; WebRTC calls are realtime sessions."));
        }
        if (asked != null && ticket.model() != null && !asked.equals(ticket.model())) {
            return Uni.createFrom().failure(ticketMismatch("ticket-model-mismatch",
                    "The model differs from the one the ticket was issued for (" + ticket.model() + ")."));
        }
        String model = asked != null ? asked : ticket.model() != null ? ticket.model() : policy.defaultModel();
        if (!policy.allowed(model)) {
            return Uni.createFrom().failure(modelNotAllowed());
        }
        String identity = ticket.callerId();
        return limiter.acquire(identity)
                .onFailure(StateUnavailableException.class).transform(e -> {
                    relayMetrics.refused(RelayMetrics.Refused.SESSION_STATE_UNAVAILABLE);
                    LOG.warnf("Realtime call refused: %s", e.getMessage());
                    return Problems.relayUnavailable("the gateway cannot count sessions right now (state store unavailable); try again shortly");
                })
                .chain(slot -> {
                    if (slot.cap() != null) {
                        relayMetrics.refused(slot.cap());
                        return Uni.createFrom().failure(sessionCap(slot.cap()));
                    }
                    return offer(identity, model, offer, slot.lease());
                });
    }

    private Uni<Answer> offer(String identity, String model, String offer, SessionLease lease) {
        String boundary = boundary(offer);
        Buffer form = multipart(boundary, offer, policy.callSession(model).toString());
        return http.post("/realtime/calls", "multipart/form-data; boundary=" + boundary, form)
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

    private static ProblemException ticketMismatch(String slug, String detail) {
        return new ProblemException(400, Problems.type(slug), "Ticket does not fit this call", detail);
    }

    private ProblemException modelNotAllowed() {
        relayMetrics.refused(RelayMetrics.Refused.MODEL_NOT_ALLOWED);
        return new ProblemException(400, Problems.type("model-not-allowed"), "Model not allowed",
                "The model is not allowed by this gateway. Allowed models: " + String.join(", ", policy.models()) + ".",
                List.of(new Problem.FieldError("model", "is not allowed here")));
    }

    private ProblemException sessionCap(RelayMetrics.Refused cap) {
        String detail = cap == RelayMetrics.Refused.MAX_SESSIONS
                ? "The gateway is at its limit of " + realtime.maxSessions() + " concurrent Realtime sessions; try again later."
                : "This identity already has " + realtime.maxSessionsPerIdentity() + " concurrent Realtime sessions, the limit.";
        return new ProblemException(429, Problems.type("session-limit-reached"), "Session limit reached", cap.label() + ": " + detail);
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
