package io.realtimegateway.relay;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.realtimegateway.admission.Admitted;
import io.realtimegateway.admission.AllowedModels;
import io.realtimegateway.auth.Identities;
import io.realtimegateway.auth.OriginPolicy;
import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.health.Drain;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.ProblemResponses;
import io.realtimegateway.problem.Problems;
import io.realtimegateway.realtime.RealtimeConfig;
import io.realtimegateway.ticket.Ticket;
import io.realtimegateway.tracing.SessionTotals;
import io.realtimegateway.tracing.SessionTrace;
import io.realtimegateway.tracing.Traced;
import io.realtimegateway.tracing.Tracing;
import io.realtimegateway.usage.UsageMeter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The relay's WebSocket doors: the OpenAI Realtime relay, a drop-in {@code …/v1/realtime} for the official SDKs, and
 * through {@link #serve} any other protocol's door (GPT-Live's {@code /v1/live/sessions}) on the same data path.
 * {@link RelayAdmission} admits the upgrade through the admission pipeline (or answers 401/403/503 problem+json
 * without any upstream connection); a refusal it decided for after the upgrade is sent in-band; an admitted session
 * applies the remaining policy in-band ({@link RelayProtocol}) and relays frames both ways.
 * <p>
 * A plain Vert.x route rather than a websockets-next endpoint: the relay must pass frames through untouched, and
 * websockets-next decodes every text frame into a String and dispatches it on a new context, which cost the relay
 * more CPU per message than the reference Node relay at high load (bench/results/analysis.md).
 * <p>
 * On SIGTERM ({@link Drain}) new upgrades get 503 and live sessions may end on their own until the drain is over;
 * the rest are then closed 1001 with an error event, their upstream legs closed normally, before the server stops.
 * The drain covers every session of the {@link SessionRegistry}: WebRTC calls still live at its end are hung up
 * through OpenAI's API by their sideband, relayed sessions of every protocol are closed.
 */
@ApplicationScoped
public class RealtimeRelay {

    static final String PATH = "/v1/realtime";

    private static final Logger LOG = Logger.getLogger(RealtimeRelay.class);
    /** How long closed sessions (and hung-up calls) get to finish their close handshakes after the drain, before the server stops. */
    private static final long CLOSE_GRACE_MILLIS = 3000;

    private final RelayAdmission admission;
    private final RelaySession.Deps deps;
    private final ObjectMapper mapper;
    private final Drain drain;
    private final AllowedModels models;
    private final OpenAiCredentials openai;
    private final Tracing tracing;
    private final AtomicLong sessionIds = new AtomicLong();

    RealtimeRelay(RelayAdmission admission, RelayUpstream upstream, RelayPolicy policy, RelayMetrics metrics, RealtimeConfig config,
            Vertx vertx, SessionLimiter limiter, SessionRegistry sessions, RelayBudget budget, UsageMeter usage, ObjectMapper mapper,
            Drain drain, AllowedModels models, UpstreamBreaker breaker, OpenAiCredentials openai, Tracing tracing) {
        this.admission = admission;
        this.tracing = tracing;
        this.models = models;
        this.openai = openai;
        // Sessions call these beans on every relayed frame: the instances themselves, not their client proxies (an
        // application-scoped bean's proxy looks its instance up in the context on every call; they live as long as the app).
        this.deps = new RelaySession.Deps(ClientProxy.unwrap(upstream), ClientProxy.unwrap(policy), ClientProxy.unwrap(metrics), config, vertx,
                ClientProxy.unwrap(limiter), ClientProxy.unwrap(sessions), ClientProxy.unwrap(budget), ClientProxy.unwrap(usage),
                ClientProxy.unwrap(breaker));
        this.mapper = mapper;
        this.drain = drain;
    }

    /** A door's way of opening the sessions it admitted. */
    public interface Opening {

        /** The protocol of an admitted session; null when the door refused it itself (it closed the socket and released the lease). */
        RelayProtocol open(ServerWebSocket socket, Admitted admitted);

        /** The door's error events, for the refusals admission decided after the upgrade. */
        ErrorEvents errors();

        /** The door's allowed models, named by a {@code model_not_allowed} refusal. */
        List<String> allowedModels();
    }

    /**
     * Runs first in a stop, while the HTTP servers still serve (Quarkus's pre-shutdown phase, application.properties
     * enables it): live sessions get the drain, then 1001. A ShutdownEvent would come too late: by then the server has
     * closed every WebSocket with 1000.
     */
    void drain(@Observes ShutdownDelayInitiatedEvent stopping) {
        drain.begin();
        SessionRegistry sessions = deps.sessions();
        if (sessions.liveCount() == 0) {
            return;
        }
        LOG.infof("Draining %d realtime session(s) and WebRTC call(s)", sessions.liveCount());
        if (drain.awaitEnd(() -> sessions.liveCount() == 0)) {
            LOG.info("Every realtime session and WebRTC call ended within the drain");
            return;
        }
        LOG.infof("Drain over: ending %d realtime session(s) and WebRTC call(s) (sessions closed with 1001, calls hung up)", sessions.liveCount());
        sessions.forEachLive(SessionRegistry.Live::shutDown);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
        while (sessions.liveCount() > 0 && System.nanoTime() < until) {
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void register(@Observes Router router) {
        router.route(PATH).order(OriginPolicy.RELAY_ROUTE_ORDER).handler(ctx -> serve(ctx, "wss://…" + PATH + "?model=…", Traced.RELAY, admission::admit,
                new Opening() {
                    @Override
                    public RelayProtocol open(ServerWebSocket socket, Admitted admitted) {
                        SessionPlan plan = new SessionPlan(admitted.identity(), admitted.model(), admitted.type() == Ticket.Type.TRANSCRIPTION, admitted.reusable());
                        return new RealtimeProtocol(deps.policy(), deps.metrics(), deps.config(), plan,
                                openai.realtimeUri(plan.transcription() ? null : plan.model()));
                    }

                    @Override
                    public ErrorEvents errors() {
                        return deps.policy();
                    }

                    @Override
                    public List<String> allowedModels() {
                        return models.list();
                    }
                }));
    }

    /**
     * Serves one WebSocket door: 426 unless it is an upgrade; the door's admission (the request is held meanwhile:
     * the ticket claim and the lease may wait on Redis); its refusals before the upgrade as problem+json, after it
     * in-band; then a relayed session with the protocol {@code opening} gives.
     *
     * @param example the URL a client should use, for the 426
     * @param kind the session's span ({@link Tracing#start})
     */
    public void serve(RoutingContext ctx, String example, Traced kind, BiFunction<HttpServerRequest, SessionTrace, Uni<Admitted>> admit,
            Opening opening) {
        HttpServerRequest request = ctx.request();
        if (!"websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
            ProblemResponses.end(ctx.response(), new ProblemException(426, ProblemException.TYPE_BASE + "websocket-required", "WebSocket required",
                    "Connect with a WebSocket client (" + example + "), the way the OpenAI SDKs do.")
                    .withHeader("Upgrade", "websocket"), mapper);
            return;
        }
        request.pause();
        SessionTrace trace = tracing.start(kind, request);
        admit.apply(request, trace).subscribe().with(admitted -> {
            request.resume();
            FrameErrors frameErrors = FrameErrors.install(request);
            request.toWebSocket().onComplete(result -> {
                if (result.succeeded()) {
                    open(result.result(), admitted, frameErrors, opening, trace);
                } else {
                    trace.status(400).end();
                    // Vert.x has answered the broken handshake itself; the redeemed ticket is spent either way.
                    LOG.debugf("Realtime upgrade failed: %s", result.cause().getClass().getName());
                    if (admitted.lease() != null) {
                        admitted.lease().release();
                    }
                }
            });
        }, failure -> {
            request.resume();
            ProblemException problem = failure instanceof ProblemException refused ? refused
                    : Problems.relayUnavailable("admission failed (" + failure.getClass().getSimpleName() + ")");
            trace.failed(problem).end();
            ProblemResponses.end(ctx.response(), problem, mapper);
        });
    }

    private void open(ServerWebSocket socket, Admitted admitted, FrameErrors frameErrors, Opening opening, SessionTrace trace) {
        if (admitted.denial() != null) {
            Refusal refusal = Refusal.of(admitted.denial(), opening.allowedModels(), deps.config(), deps.budget().max());
            refuse(socket, admitted.identity(), refusal, opening.errors());
            trace.closed(new SessionTotals("-", refusal.close().code(), "-", 0, 0, 0, 0, 0, 0, 0)).end();
            return;
        }
        RelayProtocol protocol = opening.open(socket, admitted);
        if (protocol == null) {
            trace.end();
            return;
        }
        deps.metrics().opened();
        new RelaySession(socket, admitted.identity(), protocol, deps, Long.toHexString(sessionIds.incrementAndGet()), admitted.lease(), frameErrors, trace).start();
    }

    /**
     * A refusal admission decided, counted and logged (rate-limited, per reason), sent in-band. DEBUG here: a client
     * retrying in a loop (a browser while the upstream is down) would otherwise write one INFO line per attempt.
     */
    private void refuse(ServerWebSocket socket, String identity, Refusal refusal, ErrorEvents errors) {
        LOG.debugf("Realtime session refused: identity=%s reason=%s close=%d", Identities.loggable(identity), refusal.reason().label(), refusal.close().code());
        refusal.sendTo(socket, errors);
    }
}
