package io.realtimegateway.realtime.live;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.realtimegateway.admission.Admission;
import io.realtimegateway.admission.Admitted;
import io.realtimegateway.admission.AllowedModels;
import io.realtimegateway.admission.Door;
import io.realtimegateway.admission.Entry;
import io.realtimegateway.auth.Identities;
import io.realtimegateway.auth.OriginPolicy;
import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.ProblemResponses;
import io.realtimegateway.relay.ErrorEvents;
import io.realtimegateway.relay.RealtimeRelay;
import io.realtimegateway.relay.RelayMetrics;
import io.realtimegateway.relay.RelayProtocol;
import io.realtimegateway.ticket.Ticket;
import io.realtimegateway.tracing.SessionTrace;
import io.realtimegateway.tracing.Traced;
import io.realtimegateway.usage.UsageMeter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The GPT-Live relay: {@code WS /v1/live/sessions}, a drop-in base URL for the SDKs' {@code client.live.connect()}.
 * Its door is {@link Door#LIVE} of {@link Admission} (a {@code live} ticket from {@code Authorization: Bearer} or the
 * {@code openai-insecure-api-key.} subprotocol, the Realtime relay's rules otherwise); the data path is the relay's
 * ({@link RealtimeRelay#serve}) with {@link LiveProtocol}. Adds the per-model cap ({@code GATEWAY_LIVE_MAX_SESSIONS_PER_MODEL},
 * this replica's), and refuses the client-side subresources {@code /attach}, {@code /fork} and {@code /content}:
 * they act on a session by its id, which a ticket does not bind.
 */
@ApplicationScoped
class LiveRelay {

    static final String PATH = "/v1/live/sessions";
    private static final Logger LOG = Logger.getLogger(LiveRelay.class);

    private final RealtimeRelay relay;
    private final Admission admission;
    private final LivePolicy policy;
    private final LiveConfig config;
    private final OpenAiCredentials openai;
    private final UsageMeter meter;
    private final ObjectMapper mapper;
    private final AllowedModels models;
    private final RelayMetrics metrics;
    private final Map<String, AtomicInteger> perModel = new ConcurrentHashMap<>();

    LiveRelay(RealtimeRelay relay, Admission admission, LivePolicy policy, LiveConfig config, OpenAiCredentials openai, UsageMeter meter,
            ObjectMapper mapper, AllowedModels models, RelayMetrics metrics) {
        this.relay = relay;
        this.admission = admission;
        this.policy = policy;
        this.config = config;
        this.openai = openai;
        this.meter = meter;
        this.mapper = mapper;
        this.models = models;
        this.metrics = metrics;
    }

    void register(@Observes Router router) {
        RealtimeRelay.Opening opening = new RealtimeRelay.Opening() {
            @Override
            public RelayProtocol open(ServerWebSocket socket, Admitted admitted) {
                return protocol(socket, admitted);
            }

            @Override
            public ErrorEvents errors() {
                return (type, code, message) -> LivePolicy.errorEvent(mapper, code, null, message, null).toString();
            }

            @Override
            public List<String> allowedModels() {
                return models.list(Ticket.Type.LIVE);
            }
        };
        router.route(HttpMethod.GET, PATH).order(OriginPolicy.RELAY_ROUTE_ORDER)
                .handler(ctx -> relay.serve(ctx, "wss://…" + PATH + ", with session.start as the first event", Traced.LIVE, this::admit, opening));
        for (String refused : List.of("attach", "fork", "content")) {
            router.route(PATH + "/:id/" + refused).order(OriginPolicy.RELAY_ROUTE_ORDER).handler(this::subresource);
        }
    }

    /** The door's own parsing (there is none to do: the model comes in {@code session.start}), then the pipeline. */
    private Uni<Admitted> admit(HttpServerRequest request, SessionTrace trace) {
        return admission.admit(Entry.at(Door.LIVE).request(request).trace(trace).asks(Ticket.Type.LIVE, null));
    }

    private RelayProtocol protocol(ServerWebSocket socket, Admitted admitted) {
        String model = admitted.model();
        int cap = config.maxSessionsPerModel();
        AtomicInteger count = perModel.computeIfAbsent(model, m -> new AtomicInteger());
        if (cap > 0 && count.incrementAndGet() > cap) {
            count.decrementAndGet();
            metrics.refused(RelayMetrics.Refused.MAX_SESSIONS_PER_MODEL);
            LOG.debugf("GPT-Live session refused: identity=%s reason=max_sessions_per_model model=%s", Identities.loggable(admitted.identity()), model);
            String message = "The gateway is at its limit of " + cap + " concurrent GPT-Live sessions of " + model + "; try again later.";
            socket.writeTextMessage(LivePolicy.errorEvent(mapper, "session_limit_reached", null, message, null).toString())
                    .onComplete(sent -> socket.close((short) 1013, "max_sessions_per_model"));
            admitted.lease().release();
            return null;
        }
        if (cap <= 0) {
            count.incrementAndGet();
        }
        return new LiveProtocol(policy, config, mapper, meter, openai.liveUri(), model, admitted.identity(), count::decrementAndGet);
    }

    /** {@code /attach}, {@code /fork}, {@code /content}: not served to clients (403 problem+json). */
    private void subresource(RoutingContext ctx) {
        ProblemResponses.end(ctx.response(), new ProblemException(403, ProblemException.TYPE_BASE + "live-subresource-refused",
                "Not served to clients", "The gateway does not serve " + ctx.request().path().substring(ctx.request().path().lastIndexOf('/'))
                        + " to clients: a ticket opens one new session through " + PATH + " and does not bind a session id."), mapper);
    }
}
