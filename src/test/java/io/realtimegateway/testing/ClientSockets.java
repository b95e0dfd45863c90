package io.realtimegateway.testing;

import java.util.concurrent.CompletableFuture;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Connects a Vert.x {@link ClientWebSocket} from inside an event-loop context. {@code ClientWebSocketImpl} installs
 * the handlers set before {@code connect} only in its connect callback; called from a test thread, that callback can
 * run after the event loop has already read the frames behind the 101, so a first event was dropped, or the close
 * marked the socket closed and the handler setters threw "WebSocket is closed" (seen about once in 100 immediate
 * refusals). On the connection's own event loop the callback runs before any frame after the 101 is handled.
 */
public final class ClientSockets {

    private ClientSockets() {
    }

    /** Completes when the upgrade succeeded; fails with Vert.x's cause (e.g. {@code UpgradeRejectedException}). */
    public static CompletableFuture<Void> connect(Vertx vertx, ClientWebSocket ws, WebSocketConnectOptions options) {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> ws.connect(options).onComplete(ar -> {
            if (ar.succeeded()) {
                connected.complete(null);
            } else {
                connected.completeExceptionally(ar.cause());
            }
        }));
        return connected;
    }
}
