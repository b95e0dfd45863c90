package io.realtimegateway.realtime.live.webrtc;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.realtimegateway.tracing.SessionTrace;
import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.openai.OpenAiHttp;
import io.realtimegateway.preflight.NetworkFailure;
import io.realtimegateway.realtime.RealtimeConfig;
import io.realtimegateway.realtime.live.LiveConfig;
import io.realtimegateway.relay.SessionRegistry;
import io.realtimegateway.usage.UsageMeter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Attaches the sideband of each GPT-Live WebRTC session ({@link LiveSideband}) and holds what they share: one
 * WebSocket client, created once, and the collaborators. The sideband URL is {@code OPENAI_BASE_URL} (https→wss)
 * plus {@code /live/sessions/{id}/attach?graceful_close=true}, with the server key's headers. Sessions are drained on
 * SIGTERM with the relayed ones, through the {@link SessionRegistry} they join.
 */
@ApplicationScoped
class LiveSidebands {

    /** How long OpenAI has to confirm a {@code session.close} with {@code session.closed} before the gateway hangs up. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(LiveSidebands.class);

    private final OpenAiCredentials openai;
    private final OpenAiHttp http;
    private final LiveConfig live;
    private final LiveWebRtcMetrics metrics;
    private final UsageMeter usage;
    private final SessionRegistry sessions;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final WebSocketClient client;

    LiveSidebands(OpenAiCredentials openai, OpenAiHttp http, LiveConfig live, RealtimeConfig realtime, LiveWebRtcMetrics metrics,
            UsageMeter usage, SessionRegistry sessions, ObjectMapper mapper, Vertx vertx) {
        this.openai = openai;
        this.http = http;
        this.live = live;
        this.metrics = metrics;
        this.usage = usage;
        this.sessions = sessions;
        this.mapper = mapper;
        this.vertx = vertx;
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections((int) Math.min(Integer.MAX_VALUE, 2L * realtime.maxSessions()))
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, realtime.upstreamConnectTimeout().toMillis()))
                .setMaxFrameSize(realtime.maxMessageBytes())
                .setMaxMessageSize(realtime.maxMessageBytes()));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * Leashes a session OpenAI created: completes once its sideband is attached, fails once the gateway has given it
     * up (hung up, its slot released).
     */
    Uni<Void> attach(LiveSideband.Session session) {
        return Uni.createFrom().emitter(emitter -> vertx.getOrCreateContext().runOnContext(v -> {
            Promise<Void> attached = Promise.promise();
            attached.future().onComplete(result -> {
                if (result.succeeded()) {
                    emitter.complete(null);
                } else {
                    emitter.fail(result.cause());
                }
            });
            new LiveSideband(session, this).start(attached);
        }));
    }

    /** Opens a sideband on session {@code id} (on the caller's context). */
    Future<WebSocket> connect(String id) {
        return client.connect(connectOptions(id));
    }

    WebSocketConnectOptions connectOptions(String id) {
        String base = openai.restBase();
        URI uri = URI.create(base.startsWith("https://") ? "wss://" + base.substring("https://".length())
                : base.startsWith("http://") ? "ws://" + base.substring("http://".length()) : base);
        boolean tls = "wss".equals(uri.getScheme());
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(uri.getHost())
                .setPort(uri.getPort() > 0 ? uri.getPort() : (tls ? 443 : 80))
                .setSsl(tls)
                .setURI(uri.getRawPath() + "/live/sessions/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/attach?graceful_close=true");
        openai.headers().forEach(options::addHeader);
        return options;
    }

    /** Asks OpenAI to end session {@code id} ({@code POST /live/sessions/{id}/hangup}), when the sideband cannot. */
    void hangUp(String id) {
        http.post("/live/sessions/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/hangup", null, null, null, SessionTrace.NONE).subscribe().with(answer -> {
            if (!answer.ok()) {
                LOG.debugf("GPT-Live session %s: OpenAI answered the hang-up with HTTP %d", id, answer.status());
            }
        }, failure -> LOG.warnf("GPT-Live session %s: the hang-up did not reach OpenAI (%s)", id, NetworkFailure.describe(failure)));
    }

    Duration maxSessionLength() {
        return live.maxSessionLength();
    }

    Duration idleTimeout() {
        return live.idleTimeout();
    }

    Duration closeGrace() {
        return CLOSE_GRACE;
    }

    LiveWebRtcMetrics metrics() {
        return metrics;
    }

    UsageMeter usage() {
        return usage;
    }

    SessionRegistry sessions() {
        return sessions;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    Vertx vertx() {
        return vertx;
    }
}
