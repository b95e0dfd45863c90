package io.realtimegateway.relay;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
import io.realtimegateway.health.Drain;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.ProblemResponses;
import io.realtimegateway.problem.Problems;
import io.realtimegateway.realtime.RealtimeConfig;
import io.realtimegateway.ticket.Ticket;
import io.realtimegateway.usage.UsageMeter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The OpenAI Realtime relay: a drop-in {@code …/v1/realtime} for the official SDKs. {@link RelayAdmission}
 * admits the upgrade through the admission pipeline (or answers 401/403/503 problem+json without any upstream
 * connection); a refusal it decided for after the upgrade is sent in-band; an admitted session applies the remaining
 * policy in-band and relays frames both ways.
 * <p>
 * A plain Vert.x route rather than a websockets-next endpoint: the relay must pass frames through untouched, and
 * websockets-next decodes every text frame into a String and dispatches it on a new context, which cost the relay
 * more CPU per message than the reference Node relay at high load (bench/results/analysis.md).
 * <p>
 * On SIGTERM ({@link Drain}) new upgrades get 503 and live sessions may end on their own until the drain is over;
 * the rest are then closed 1001 with an error event, their upstream legs closed normally, before the server stops.
 * The drain covers every session of the {@link SessionRegistry}: WebRTC calls still live at its end are hung up
 * through OpenAI's API by their sideband.
 */
@ApplicationScoped
class RealtimeRelay {

    static final String PATH = "/v1/realtime";

    private static final Logger LOG = Logger.getLogger(RealtimeRelay.class);
    /** How long closed sessions (and hung-up calls) get to finish their close handshakes after the drain, before the server stops. */
    private static final long CLOSE_GRACE_MILLIS = 3000;

    private final RelayAdmission admission;
    private final RelaySession.Deps deps;
    private final ObjectMapper mapper;
    private final Drain drain;
    private final AllowedModels models;
    private final AtomicLong sessionIds = new AtomicLong();

    RealtimeRelay(RelayAdmission admission, RelayUpstream upstream, RelayPolicy policy, RelayMetrics metrics, RealtimeConfig config,
            Vertx vertx, SessionLimiter limiter, SessionRegistry sessions, RelayBudget budget, UsageMeter usage, ObjectMapper mapper,
            Drain drain, AllowedModels models, UpstreamBreaker breaker) {
        this.admission = admission;
        this.models = models;
        // Sessions call these beans on every relayed frame: the instances themselves, not their client proxies (an
        // application-scoped bean's proxy looks its instance up in the context on every call; they live as long as the app).
        this.deps = new RelaySession.Deps(ClientProxy.unwrap(upstream), ClientProxy.unwrap(policy), ClientProxy.unwrap(metrics), config, vertx,
                ClientProxy.unwrap(limiter), ClientProxy.unwrap(sessions), ClientProxy.unwrap(budget), ClientProxy.unwrap(usage),
                ClientProxy.unwrap(breaker));
        this.mapper = mapper;
        this.drain = drain;
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
        router.route(PATH).order(OriginPolicy.RELAY_ROUTE_ORDER).handler(this::upgrade);
    }

    private void upgrade(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!"websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
            ProblemResponses.end(ctx.response(), new ProblemException(426, ProblemException.TYPE_BASE + "websocket-required", "WebSocket required",
                    "Connect with a WebSocket client (wss://…" + PATH + "?model=…), the way the OpenAI SDKs do.")
                    .withHeader("Upgrade", "websocket"), mapper);
            return;
        }
        // The ticket claim and the session lease may wait on Redis: hold the request until the pipeline answers, then
        // upgrade on this context.
        request.pause();
        admission.admit(request).subscribe().with(admitted -> {
            request.resume();
            FrameErrors frameErrors = FrameErrors.install(request);
            request.toWebSocket().onComplete(result -> {
                if (result.succeeded()) {
                    open(result.result(), admitted, frameErrors);
                } else {
                    // Vert.x has answered the broken handshake itself; the redeemed ticket is spent either way.
                    LOG.debugf("Realtime upgrade failed: %s", result.cause().getClass().getName());
                    if (admitted.lease() != null) {
                        admitted.lease().release();
                    }
                }
            });
        }, failure -> {
            request.resume();
            ProblemResponses.end(ctx.response(), failure instanceof ProblemException refused ? refused
                    : Problems.relayUnavailable("admission failed (" + failure.getClass().getSimpleName() + ")"), mapper);
        });
    }

    private void open(ServerWebSocket socket, Admitted admitted, FrameErrors frameErrors) {
        if (admitted.denial() != null) {
            refuse(socket, admitted.identity(), Refusal.of(admitted.denial(), models.list(), deps.config(), deps.budget().max()));
            return;
        }
        SessionPlan plan = new SessionPlan(admitted.identity(), admitted.model(), admitted.type() == Ticket.Type.TRANSCRIPTION, admitted.reusable());
        deps.metrics().opened();
        new RelaySession(socket, plan, deps, Long.toHexString(sessionIds.incrementAndGet()), admitted.lease(), frameErrors).start();
    }

    /**
     * A refusal admission decided, counted and logged (rate-limited, per reason), sent in-band. DEBUG here: a client
     * retrying in a loop (a browser while the upstream is down) would otherwise write one INFO line per attempt.
     */
    private void refuse(ServerWebSocket socket, String identity, Refusal refusal) {
        LOG.debugf("Realtime session refused: identity=%s reason=%s close=%d", Identities.loggable(identity), refusal.reason().label(), refusal.close().code());
        refusal.sendTo(socket, deps.policy());
    }
}
