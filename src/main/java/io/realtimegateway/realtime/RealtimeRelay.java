package io.realtimegateway.realtime;

import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.realtimegateway.config.RealtimeConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * The OpenAI Realtime relay: a drop-in {@code …/v1/realtime} for the official SDKs. The ticket was checked by
 * {@link RealtimeUpgradeCheck}; this endpoint applies the remaining policy and relays frames both ways.
 */
@WebSocket(path = "/v1/realtime")
public class RealtimeRelay {

    private static final Logger LOG = Logger.getLogger(RealtimeRelay.class);
    static final UserData.TypedKey<RelaySession> SESSION = new UserData.TypedKey<>("realtime.session");

    private final RelaySession.Deps deps;
    private final SessionLimiter limiter;

    RealtimeRelay(RelayUpstream upstream, RelayPolicy policy, RelayMetrics metrics, RealtimeConfig config, Vertx vertx,
            Instance<BasicWebSocketConnector> connectors, SessionLimiter limiter) {
        this.deps = new RelaySession.Deps(upstream, policy, metrics, config, vertx, connectors);
        this.limiter = limiter;
    }

    @OnOpen
    Uni<Void> open(WebSocketConnection connection) {
        SessionPlan plan = connection.userData().get(RealtimeUpgradeCheck.PLAN);
        if (plan == null) {
            return connection.close(CloseCodes.reason(CloseCodes.INTERNAL, "no session plan"));
        }
        if (plan.refusal() != null) {
            SessionPlan.Refusal r = plan.refusal();
            return refuse(connection, plan.identity(), r.metric(), r.errorType(), r.errorCode(), r.message(), r.closeCode(), r.closeReason());
        }
        String capped = limiter.tryAcquire(plan.identity());
        if (capped != null) {
            String message = capped.equals("max_sessions")
                    ? "The gateway is at its limit of " + deps.config().maxSessions() + " concurrent Realtime sessions; try again later."
                    : "This identity already has " + deps.config().maxSessionsPerIdentity() + " concurrent Realtime sessions, the limit.";
            return refuse(connection, plan.identity(), capped, "invalid_request_error", "session_limit_reached", message, CloseCodes.TRY_AGAIN,
                    capped + ": " + message);
        }
        RelaySession session = new RelaySession(connection, plan, deps);
        connection.userData().put(SESSION, session);
        deps.metrics().opened();
        session.start();
        return Uni.createFrom().voidItem();
    }

    @OnTextMessage
    Uni<Void> text(WebSocketConnection connection, String message) {
        RelaySession session = connection.userData().get(SESSION);
        if (session != null) {
            session.fromClient(message);
        }
        return Uni.createFrom().voidItem();
    }

    @OnBinaryMessage
    Uni<Void> binary(WebSocketConnection connection, Buffer message) {
        RelaySession session = connection.userData().get(SESSION);
        if (session != null) {
            session.fromClient(message);
        }
        return Uni.createFrom().voidItem();
    }

    @OnClose
    Uni<Void> close(WebSocketConnection connection, CloseReason reason) {
        RelaySession session = connection.userData().get(SESSION);
        if (session != null) {
            session.clientClosed(reason);
            limiter.release(session.identity());
            deps.metrics().closed(session.clientCloseCode(reason.getCode()));
        }
        return Uni.createFrom().voidItem();
    }

    @OnError
    Uni<Void> error(WebSocketConnection connection, Throwable failure) {
        // The type only: messages of library exceptions may quote frame content.
        LOG.debugf("Realtime relay error: %s", failure.getClass().getName());
        RelaySession session = connection.userData().get(SESSION);
        if (session != null) {
            session.terminate(CloseCodes.INTERNAL, "relay error", null, "relay_error");
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> refuse(WebSocketConnection connection, String identity, String metric, String errorType, String errorCode, String message,
            int closeCode, String closeReason) {
        deps.metrics().refused(metric);
        LOG.infof("Realtime session refused: identity=%s reason=%s close=%d", identity, metric, closeCode);
        return connection.sendText(deps.policy().errorEvent(errorType, errorCode, message))
                .onFailure().recoverWithNull()
                .chain(() -> connection.close(CloseCodes.reason(closeCode, closeReason)));
    }
}
