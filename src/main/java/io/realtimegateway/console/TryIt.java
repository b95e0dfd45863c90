package io.realtimegateway.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.HttpServer;
import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.livekit.TestRoomJoin;
import io.realtimegateway.preflight.NetworkFailure;
import io.realtimegateway.relay.RealtimeConfig;
import io.realtimegateway.ticket.Ticket;
import io.realtimegateway.ticket.TicketService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * The console's "try it" panel, run by the gateway against the real services with the real keys:
 * <ul>
 * <li>LiveKit: {@link TestRoomJoin}, a join token for a test room that the page joins with livekit-client (so the join
 * takes the browser's own path to LiveKit: the public URL, TLS, ICE), and livekit-server's verdict on the same token
 * from {@code /rtc/validate}, asked by the gateway, which names a refusal's reason even when the browser cannot reach
 * the server;</li>
 * <li>relay: a ticket, then a relay session through this gateway's own {@code /v1/realtime} up to
 * {@code session.created}, closed right after. It shows in the live sessions like any other.</li>
 * </ul>
 * The join token goes to the page (it is what the page joins with), never to a log; the ticket never leaves the gateway;
 * server answers that echo a token are redacted.
 */
@ApplicationScoped
class TryIt {

    static final String IDENTITY = "console";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * @param events the event types received, in order
     * @param upstreamSession OpenAI's session id from {@code session.created}
     */
    @RegisterForReflection
    record RelayResult(boolean ok, String model, String upstreamSession, List<String> events, Integer closeCode, String detail) {
    }

    private final TestRoomJoin join;
    private final OpenAiCredentials openai;
    private final RealtimeConfig realtime;
    private final TicketService tickets;
    private final HttpServer server;
    private final WebSocketClient sockets;

    TryIt(TestRoomJoin join, OpenAiCredentials openai, RealtimeConfig realtime, TicketService tickets, HttpServer server, Vertx vertx) {
        this.join = join;
        this.openai = openai;
        this.realtime = realtime;
        this.tickets = tickets;
        this.server = server;
        this.sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout((int) TIMEOUT.toMillis()));
    }

    /** Blocking: signs the join token and calls livekit-server. */
    TestRoomJoin.Result liveKit() {
        return join.tryJoin(IDENTITY);
    }

    /** Where the page's livekit-client may connect beyond WebSockets: the http(s) origin of {@code LIVEKIT_URL}. */
    Optional<String> liveKitHttpOrigin() {
        return join.serverHttpOrigin();
    }

    /** A relay session through this gateway, up to {@code session.created} (or the refusal, error or close that came instead). */
    Uni<RelayResult> relay() {
        String model = realtime.models().get(0);
        if (!openai.relayEnabled()) {
            return Uni.createFrom().item(new RelayResult(false, model, null, List.of(), null, "the relay is off: " + openai.disabledReason()));
        }
        int port = server.getPort();
        if (port <= 0) {
            return Uni.createFrom().item(new RelayResult(false, model, null, List.of(), null, "the plain HTTP port is off; try it from an SDK"));
        }
        String ticket = tickets.issue(IDENTITY, model, Ticket.Type.REALTIME).value();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("localhost").setPort(port)
                .setURI("/v1/realtime?model=" + URLEncoder.encode(model, StandardCharsets.UTF_8))
                .addHeader("Authorization", "Bearer " + ticket);
        return Uni.createFrom().<RelayResult> emitter(emitter -> {
            List<String> events = new ArrayList<>();
            ClientWebSocket socket = sockets.webSocket();
            emitter.onTermination(() -> {
                if (!socket.isClosed()) {
                    socket.close((short) 1000, "console try-it done");
                }
            });
            socket.textMessageHandler(text -> {
                JsonObject event = parse(text);
                String type = event == null ? "(not JSON)" : event.getString("type", "(no type)");
                events.add(type);
                if ("session.created".equals(type)) {
                    JsonObject session = event.getJsonObject("session", new JsonObject());
                    emitter.complete(new RelayResult(true, session.getString("model", model), session.getString("id", "-"), List.copyOf(events), null,
                            "session.created through the relay"));
                } else if ("error".equals(type)) {
                    JsonObject error = event.getJsonObject("error", new JsonObject());
                    emitter.complete(new RelayResult(false, model, null, List.copyOf(events), null,
                            "error event: " + error.getString("code", "-") + ": " + error.getString("message", "")));
                }
            });
            socket.closeHandler(v -> emitter.complete(new RelayResult(false, model, null, List.copyOf(events),
                    socket.closeStatusCode() == null ? null : (int) socket.closeStatusCode(), "closed before session.created: " + socket.closeReason())));
            socket.connect(options).onFailure(failure -> emitter.complete(refused(model, failure)));
        }).ifNoItem().after(TIMEOUT.multipliedBy(2)).recoverWithItem(() -> new RelayResult(false, model, null, List.of(), null,
                "no session.created within " + TIMEOUT.multipliedBy(2).toSeconds() + " s"));
    }

    private static RelayResult refused(String model, Throwable failure) {
        if (failure instanceof UpgradeRejectedException rejected) {
            JsonObject problem = rejected.getBody() == null ? null : parse(rejected.getBody().toString());
            String why = problem == null ? null : problem.getString("detail");
            return new RelayResult(false, model, null, List.of(), null,
                    "the relay refused the upgrade with HTTP " + rejected.getStatus() + (why == null ? "" : ": " + why));
        }
        return new RelayResult(false, model, null, List.of(), null, "could not reach the relay: " + NetworkFailure.describe(failure));
    }

    private static JsonObject parse(String text) {
        try {
            return new JsonObject(text);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
