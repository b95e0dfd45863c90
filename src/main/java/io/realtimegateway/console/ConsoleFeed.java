package io.realtimegateway.console;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/**
 * The console's live feed: server-push JSON ({@link ConsoleEvent}), a snapshot first, then what changes. Opening it
 * takes a console ticket ({@link FeedTicketCheck}); what the feed sends is decided by {@link FeedHub}.
 * <p>
 * On the main HTTP port: websockets-next endpoints cannot be served on Quarkus's management interface.
 */
@WebSocket(path = ConsoleFeed.PATH)
class ConsoleFeed {

    static final String PATH = "/console/feed";

    private final FeedHub hub;

    ConsoleFeed(FeedHub hub) {
        this.hub = hub;
    }

    @OnOpen
    Uni<Void> open(WebSocketConnection connection) {
        return hub.join(connection);
    }

    @OnClose
    Uni<Void> close(WebSocketConnection connection) {
        hub.leave(connection);
        return Uni.createFrom().voidItem();
    }
}
