package io.realtimegateway.console;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketClientConnection;
import io.vertx.core.json.JsonObject;

/** A console feed opened with websockets-next's own client, collecting what it receives. */
final class FeedClient implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(15); // a behaviour bound, generous on a shared 2-core machine

    final List<JsonObject> events = new CopyOnWriteArrayList<>();
    volatile CloseReason closed;
    final WebSocketClientConnection connection;

    FeedClient(BasicWebSocketConnector connector, URI base, String ticket) {
        this(connector, base, ticket, null);
    }

    /** @param origin the {@code Origin} to send, as a browser page would; null for none (a script) */
    FeedClient(BasicWebSocketConnector connector, URI base, String ticket, String origin) {
        URI feed = base.resolve(ConsoleFeed.PATH + (ticket == null ? "" : "?ticket=" + ticket));
        if (origin != null) {
            connector.addHeader("Origin", origin);
        }
        this.connection = connector.baseUri(feed)
                .executionModel(BasicWebSocketConnector.ExecutionModel.NON_BLOCKING)
                .onTextMessage((c, text) -> events.add(new JsonObject(text)))
                .onClose((c, reason) -> closed = reason)
                .connectAndAwait();
    }

    /** The first event received that matches, waiting for it. */
    JsonObject await(String type, Predicate<JsonObject> matches) {
        JsonObject[] found = new JsonObject[1];
        Awaitility.await().atMost(WAIT).until(() -> {
            for (JsonObject event : events) {
                if (type.equals(event.getString("type")) && matches.test(event)) {
                    found[0] = event;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    JsonObject await(String type) {
        return await(type, e -> true);
    }

    @Override
    public void close() {
        if (connection.isOpen()) {
            connection.closeAndAwait();
        }
    }
}
