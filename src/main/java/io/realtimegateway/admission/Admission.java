package io.realtimegateway.admission;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.realtimegateway.auth.Caller;
import io.realtimegateway.auth.Credentials;
import io.realtimegateway.auth.Identities;
import io.realtimegateway.auth.OriginPolicy;
import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.credentials.RelaySwitch;
import io.realtimegateway.health.Drain;
import io.realtimegateway.problem.Problem;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.Problems;
import io.realtimegateway.ratelimit.RateLimiter;
import io.realtimegateway.realtime.RealtimeConfig;
import io.realtimegateway.relay.RelayBudget;
import io.realtimegateway.relay.RelayMetrics;
import io.realtimegateway.relay.SessionLimiter;
import io.realtimegateway.relay.UpstreamBreaker;
import io.realtimegateway.state.StateUnavailableException;
import io.realtimegateway.state.TicketHolder;
import io.realtimegateway.ticket.Ticket;
import io.realtimegateway.ticket.TicketRejectedException;
import io.realtimegateway.ticket.TicketService;
import io.realtimegateway.usage.UsageMeter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * The admission pipeline: every door ({@link Door}) runs these steps once, in this order, and every refusal is
 * counted here, in {@code gateway_realtime_refusals_total{reason}} (rate limits in {@code gateway_rate_limit_refusals_total}):
 * <ol>
 * <li>{@link Step#RELAY_ON}: the relay is on ({@link RelaySwitch}), else 503 {@code relay-unavailable};</li>
 * <li>{@link Step#DRAINING}: the replica is not draining, else 503 {@code shutting-down} with Retry-After;</li>
 * <li>{@link Step#ORIGIN}: the page's {@code Origin} ({@link OriginPolicy}), else 403 {@code origin-not-allowed}. The relay's
 * rule is checked here; the WebRTC calls' by a route ahead of Quarkus's CORS filter (which would answer a bare 403), so
 * for that door it comes first; plain HTTP doors get the CORS filter's own;</li>
 * <li>{@link Step#CREDENTIAL}: a gateway ticket from {@code Authorization: Bearer} or the relay's
 * {@code openai-insecure-api-key.} subprotocol (this class is the one place that reads it), verified but not spent;
 * or the caller that authenticated before the resource ran; else 401. A reusable ticket is refused (403) at any door
 * but the relay's, and on an upgrade with an {@code Origin} (a browser);</li>
 * <li>{@link Step#BINDING}: the door's own parsing problems, then what is asked against what the ticket was issued for
 * (type, model) and the model allow-list ({@link AllowedModels}); 400, or in-band 4000 for the relay;</li>
 * <li>{@link Step#RATE_LIMIT}: the door's bucket for the identity, 429;</li>
 * <li>{@link Step#BUDGET}: the identity's usage budget for today (429), or for the relay the gateway's buffer budget
 * (in-band 1013) and the upstream's circuit breaker ({@link UpstreamBreaker}: 503 with Retry-After, in-band 1013 for
 * browsers);</li>
 * <li>{@link Step#TICKET_REDEMPTION}: a single-use ticket's id is claimed: a replay is 401, an unavailable store 503; a
 * reusable ticket takes its one live-session slot (replacing the session that held it): revoked or idle-expired is 401;</li>
 * <li>{@link Step#SESSION_LEASE}: a concurrent-session slot under the identity's, the caller's and the total cap, 429 (in-band
 * 1013 for the relay), 503 when the store cannot count.</li>
 * </ol>
 * Before this order was written down, the relay checked the {@code Origin} before "relay on" and the drain before
 * both, and spent the ticket before the type and model binding; a refused request now never spends a ticket.
 * One class (just over 300 lines) because the order is the contract: read top to bottom, it is the order.
 */
@ApplicationScoped
public class Admission {

    private static final Logger LOG = Logger.getLogger(Admission.class);
    /** The reasons of refusals that {@code gateway_realtime_refusals_total} does not count (see {@link #named}); the log and body name them. */
    static final String ORIGIN_NOT_ALLOWED = OriginPolicy.REFUSAL_REASON;
    static final String RATE_LIMITED = "rate_limited";
    static final String BUDGET_EXCEEDED = "budget_exceeded";
    static final String STATE_UNAVAILABLE = "state_unavailable";

    private final OpenAiCredentials openai;
    private final Drain drain;
    private final OriginPolicy origins;
    private final TicketService tickets;
    private final AllowedModels models;
    private final RateLimiter rateLimits;
    private final UsageMeter usage;
    private final RelayBudget buffers;
    private final SessionLimiter limiter;
    private final RelayMetrics metrics;
    private final RealtimeConfig realtime;
    private final RefusalLog log;
    private final UpstreamBreaker breaker;

    Admission(OpenAiCredentials openai, Drain drain, OriginPolicy origins, TicketService tickets, AllowedModels models, RateLimiter rateLimits,
            UsageMeter usage, RelayBudget buffers, SessionLimiter limiter, RelayMetrics metrics, RealtimeConfig realtime, RefusalLog log,
            UpstreamBreaker breaker) {
        this.openai = openai;
        this.drain = drain;
        this.origins = origins;
        this.tickets = tickets;
        this.models = models;
        this.rateLimits = rateLimits;
        this.usage = usage;
        this.buffers = buffers;
        this.limiter = limiter;
        this.metrics = metrics;
        this.realtime = realtime;
        this.log = log;
        this.breaker = breaker;
    }

    /**
     * Runs the steps for one request. Refusals before the upgrade (or of an HTTP door) fail the result with a
     * {@link ProblemException}; an in-band door's later refusals come back as {@link Admitted#denial()}.
     */
    public Uni<Admitted> admit(Entry entry) {
        Door door = entry.door;
        RelaySwitch relay = openai.relaySwitch();
        if (!relay.on()) {
            return refuse(RelayMetrics.Refused.DISABLED, Problems.relayUnavailable(relay.offReason()));
        }
        if (drain.draining()) {
            return refuse(RelayMetrics.Refused.SHUTTING_DOWN, Problems.shuttingDown(door.what()));
        }
        if (door.origins() == Door.Origins.RELAY) {
            Optional<ProblemException> badOrigin = origins.refusal(entry.request, door.what());
            if (badOrigin.isPresent()) {
                log.refused(door, ORIGIN_NOT_ALLOWED, "origin=" + Identities.loggable(entry.request.getHeader("Origin")), badOrigin.get().getMessage());
                return Uni.createFrom().failure(badOrigin.get().withReason(ORIGIN_NOT_ALLOWED));
            }
        }
        Ticket ticket = null;
        String identity;
        if (door.credential() == Door.Credential.TICKET) {
            String presented = ticketCredential(entry.request);
            try {
                ticket = tickets.verify(presented);
            } catch (TicketRejectedException rejected) {
                RelayMetrics.Refused reason = RelayMetrics.Refused.of(rejected.reason());
                log.refused(door, reason.label(), presented == null ? "no credential" : "credential=" + Fingerprint.of(presented), rejected.getMessage());
                return refuse(reason, rejected.problem());
            }
            // Caps, budgets, logs and the safety identifier count per conversation: <caller>/<identity> for a ticket
            // minted for one (Identities.conversationKey), the caller's id for its own.
            identity = ticket.subject();
            if (ticket.reusable()) {
                Optional<ProblemException> notHere = reusableRefusal(entry);
                if (notHere.isPresent()) {
                    log.refused(door, RelayMetrics.Refused.REUSABLE_TICKET_NOT_ALLOWED.label(), RefusalLog.identity(identity), notHere.get().getMessage());
                    return refuse(RelayMetrics.Refused.REUSABLE_TICKET_NOT_ALLOWED, notHere.get());
                }
            }
        } else if (entry.caller != null) {
            identity = entry.caller.id();
        } else {
            throw new IllegalStateException(door + " takes an authenticated caller: Entry.caller(...) is missing");
        }
        Bound bound = bind(entry, ticket);
        if (bound.denial() != null) {
            return deny(door, identity, bound.denial());
        }
        Ticket held = ticket;
        Uni<Void> rated = door.bucket() == null ? Uni.createFrom().voidItem()
                : rateLimits.admit(door.bucket(), new Caller(identity)).onFailure(ProblemException.class)
                        .invoke(refused -> named((ProblemException) refused, RATE_LIMITED));
        return rated.chain(() -> budget(entry, identity))
                .chain(spent -> spent != null ? deny(door, identity, spent, inBand(entry, spent)) : redeem(door, held)
                        .chain(holder -> lease(door, identity, bound, held, holder)));
    }

    /**
     * Where a reusable ticket may not be used (step 4, once the ticket is known): a door other than the relay's (its one
     * live session is a relayed one), or an upgrade with an {@code Origin}: browsers send one, and never hold a
     * backend's reusable ticket, so one there leaked. 403 before the upgrade, as an origin refusal.
     */
    private static Optional<ProblemException> reusableRefusal(Entry entry) {
        if (entry.door != Door.RELAY) {
            return Optional.of(Problems.reusableTicketNotHere(entry.door.what() + " take single-use tickets; a reusable ticket opens relay sessions only."));
        }
        if (entry.request != null && entry.request.getHeader("Origin") != null) {
            return Optional.of(Problems.reusableTicketNotHere(
                    "A reusable ticket is for a backend, never a browser: the upgrade carries an Origin header. Browsers use single-use tickets."));
        }
        return Optional.empty();
    }

    /** Step 5: the door's parsing, the ticket's binding, the allow-list. */
    private Bound bind(Entry entry, Ticket ticket) {
        if (entry.malformedReason != null) {
            return Bound.denied(new Denial(Step.BINDING, entry.malformedReason, ticket, null));
        }
        if (entry.malformedProblem != null) {
            return Bound.denied(new Denial(Step.BINDING, null, ticket, entry.malformedProblem));
        }
        String asked = entry.model;
        if (ticket == null) {
            // A door that issues a credential: it binds what it issues.
            String model = asked != null ? asked : models.defaultModel();
            if (!models.allowed(model)) {
                return Bound.denied(new Denial(Step.BINDING, RelayMetrics.Refused.MODEL_NOT_ALLOWED, null,
                        Problems.invalidField("session.model", "is not allowed here; allowed models: " + models.listed())));
            }
            return new Bound(entry.type, model, null);
        }
        // A ticket opens only what it was issued for: its type, its model (the request may repeat it, not change it).
        if (asked != null && !models.allowed(asked)) {
            return Bound.denied(modelNotAllowed(ticket));
        }
        if (ticket.type() != entry.type) {
            return Bound.denied(new Denial(Step.BINDING, RelayMetrics.Refused.TICKET_TYPE_MISMATCH, ticket, ticketMismatch("ticket-type-mismatch",
                    "This ticket was issued for a " + ticket.type().wire() + " session; " + entry.door.what() + " open " + entry.type.wire()
                            + " sessions.")));
        }
        if (asked != null && ticket.model() != null && !asked.equals(ticket.model())) {
            return Bound.denied(new Denial(Step.BINDING, RelayMetrics.Refused.TICKET_MODEL_MISMATCH, ticket, ticketMismatch("ticket-model-mismatch",
                    "The model differs from the one the ticket was issued for (" + ticket.model() + ").")));
        }
        if (entry.type == Ticket.Type.TRANSCRIPTION) {
            return new Bound(Ticket.Type.TRANSCRIPTION, null, null);
        }
        String model = ticket.model() != null ? ticket.model() : models.defaultModel();
        if (!models.allowed(model)) {
            // A ticket issued before its model left the allow-list.
            return Bound.denied(modelNotAllowed(ticket));
        }
        return new Bound(Ticket.Type.REALTIME, model, null);
    }

    /** Step 7: null when within the budget, else the in-band denial (an HTTP door's refusal fails the result). */
    private Uni<Denial> budget(Entry entry, String identity) {
        return switch (entry.door.budget()) {
            case USAGE -> usage.admitTicket(identity).onFailure(ProblemException.class)
                    .invoke(refused -> named((ProblemException) refused, BUDGET_EXCEEDED)).replaceWith((Denial) null);
            case BUFFERS -> Uni.createFrom().item(relayBudget());
            case NONE -> Uni.createFrom().nullItem();
        };
    }

    /**
     * The relay's budget: the gateway's buffers, then the upstream's circuit breaker ({@link UpstreamBreaker}, asked
     * last since letting a session through may make it the probe). Both before the ticket is spent.
     */
    private Denial relayBudget() {
        if (buffers.spent()) {
            return new Denial(Step.BUDGET, RelayMetrics.Refused.BUFFER_BUDGET, null, null);
        }
        OptionalLong retryAfter = breaker.refusal();
        return retryAfter.isPresent()
                ? new Denial(Step.BUDGET, RelayMetrics.Refused.UPSTREAM_UNAVAILABLE, null, Problems.upstreamUnavailable(retryAfter.getAsLong()))
                : null;
    }

    /**
     * Whether an in-band door delivers this denial after the upgrade. An open breaker refuses a client without an
     * {@code Origin} (not a browser) before it, with 503 and Retry-After, as OpenAI would: an SDK or agent counts that
     * as a failed connect and backs off, where an upgrade-then-close looks like a success to some and is retried at once.
     */
    private static boolean inBand(Entry entry, Denial denial) {
        return entry.door.inBand() && (denial.reason() != RelayMetrics.Refused.UPSTREAM_UNAVAILABLE
                || (entry.request != null && entry.request.getHeader("Origin") != null));
    }

    /**
     * Step 8: a single-use ticket's claim; a reusable ticket's live-session slot (not revoked, not idle-expired), whose
     * holder the lease keeps and releases. Null holder for a single-use ticket and for doors without a ticket.
     */
    private Uni<TicketHolder> redeem(Door door, Ticket ticket) {
        if (ticket == null) {
            return Uni.createFrom().nullItem();
        }
        Uni<TicketHolder> redeemed = ticket.reusable() ? tickets.take(ticket) : tickets.claim(ticket).replaceWith((TicketHolder) null);
        return redeemed.onFailure(TicketRejectedException.class).transform(failure -> {
            TicketRejectedException rejected = (TicketRejectedException) failure;
            RelayMetrics.Refused reason = RelayMetrics.Refused.of(rejected.reason());
            log.refused(door, reason.label(), RefusalLog.identity(ticket.subject()), rejected.getMessage());
            metrics.refused(reason);
            return rejected.problem().withReason(reason.label());
        });
    }

    /** Step 9: the session slot, held until the session ends (the door releases it on every later failure). */
    private Uni<Admitted> lease(Door door, String identity, Bound bound, Ticket ticket, TicketHolder holder) {
        if (!door.leases()) {
            return Uni.createFrom().item(new Admitted(identity, bound.type(), bound.model(), null, null, ticket));
        }
        // A ticket's caller's total counts all its conversations; a caller door's identity is the caller.
        return limiter.acquire(identity, ticket == null ? identity : Identities.conversationKey(ticket.callerId(), null), holder)
                .onFailure(StateUnavailableException.class).transform(e -> {
                    metrics.refused(RelayMetrics.Refused.SESSION_STATE_UNAVAILABLE);
                    LOG.warnf("%s refused: %s", door.what(), e.getMessage());
                    return Problems.relayUnavailable("the gateway cannot count sessions right now (state store unavailable); try again shortly")
                            .withReason(RelayMetrics.Refused.SESSION_STATE_UNAVAILABLE.label());
                })
                .chain(slot -> slot.cap() != null
                        ? deny(door, identity, new Denial(Step.SESSION_LEASE, slot.cap(), null, sessionCap(slot.cap())))
                        : Uni.createFrom().item(new Admitted(identity, bound.type(), bound.model(), slot.lease(), null, ticket)));
    }

    /** Counts a denial; an in-band door gets it back to deliver after the upgrade, any other door fails with its problem. */
    private Uni<Admitted> deny(Door door, String identity, Denial denial) {
        return deny(door, identity, denial, door.inBand());
    }

    private Uni<Admitted> deny(Door door, String identity, Denial denial, boolean inBand) {
        if (denial.reason() != null) {
            metrics.refused(denial.reason());
            log.refused(door, denial.reason().label(), RefusalLog.identity(identity),
                    denial.problem() == null ? "refused after the upgrade" : denial.problem().getMessage());
        }
        if (inBand && denial.reason() != null) {
            return Uni.createFrom().item(Admitted.refused(identity, denial));
        }
        return Uni.createFrom().failure(denial.reason() == null ? denial.problem() : denial.problem().withReason(denial.reason().label()));
    }

    private <T> Uni<T> refuse(RelayMetrics.Refused reason, ProblemException problem) {
        metrics.refused(reason);
        return Uni.createFrom().failure(problem.withReason(reason.label()));
    }

    /**
     * The reason of a rate-limit or usage-budget refusal, which their own metrics count ({@code gateway_rate_limit_refusals_total},
     * the budget's): 429 is {@code rate_limited} or {@code budget_exceeded}; 503 (the store could not answer) {@code state_unavailable}.
     */
    private static void named(ProblemException refused, String reason) {
        if (refused.reason() == null) {
            refused.withReason(refused.status() == 429 ? reason : STATE_UNAVAILABLE);
        }
    }

    private Denial modelNotAllowed(Ticket ticket) {
        return new Denial(Step.BINDING, RelayMetrics.Refused.MODEL_NOT_ALLOWED, ticket, new ProblemException(400, Problems.type("model-not-allowed"),
                "Model not allowed", "The model is not allowed by this gateway. Allowed models: " + models.listed() + ".",
                List.of(new Problem.FieldError("model", "is not allowed here"))));
    }

    private static ProblemException ticketMismatch(String slug, String detail) {
        return new ProblemException(400, Problems.type(slug), "Ticket does not fit this request", detail);
    }

    private ProblemException sessionCap(RelayMetrics.Refused cap) {
        String detail = SessionLimiter.capMessage(cap, realtime);
        return new ProblemException(429, Problems.type("session-limit-reached"), "Session limit reached", cap.label() + ": " + detail);
    }

    /**
     * The one reader of a ticket on the {@code /v1/*} doors: {@code Authorization: Bearer}, else the
     * {@code openai-insecure-api-key.} WebSocket subprotocol (browsers cannot set headers on a WebSocket). Null when none.
     */
    static String ticketCredential(HttpServerRequest request) {
        return request == null ? null : Credentials.bearerOrSubprotocol(request);
    }

    /** The binding's outcome: the session's type and model, or the denial. */
    private record Bound(Ticket.Type type, String model, Denial denial) {
        static Bound denied(Denial denial) {
            return new Bound(null, null, denial);
        }
    }
}
