package io.realtimegateway.console;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.HttpServer;
import io.realtimegateway.config.RealtimeConfig;
import io.realtimegateway.credentials.LiveKitCredentials;
import io.realtimegateway.credentials.LiveKitKey;
import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.credentials.Urls;
import io.realtimegateway.livekit.LiveKitTokenIssuer;
import io.realtimegateway.preflight.NetworkFailure;
import io.realtimegateway.problem.Problems;
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
 * <li>LiveKit: a join token for a test room, signed like every token, presented to livekit-server's
 * {@code /rtc/validate}, which runs the checks of a join (key, signature, lifetime, grants, room) without media;</li>
 * <li>relay: a ticket, then a relay session through this gateway's own {@code /v1/realtime} up to
 * {@code session.created}, closed right after. It shows in the live sessions like any other.</li>
 * </ul>
 * The token and the ticket never leave the gateway; server answers that echo a token are redacted.
 */
@ApplicationScoped
class TryIt {

    static final String ROOM = "console-try";
    static final String IDENTITY = "console";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @param status livekit-server's HTTP status, null when it was not reached
     * @param reason livekit-server's answer in words (a token it echoes is redacted), or why nothing was asked
     */
    @RegisterForReflection
    record LiveKitResult(boolean ok, String serverUrl, String apiKey, String room, String identity, Integer status, String reason) {
    }

    /**
     * @param events the event types received, in order
     * @param upstreamSession OpenAI's session id from {@code session.created}
     */
    @RegisterForReflection
    record RelayResult(boolean ok, String model, String upstreamSession, List<String> events, Integer closeCode, String detail) {
    }

    private final LiveKitCredentials livekit;
    private final OpenAiCredentials openai;
    private final RealtimeConfig realtime;
    private final TicketService tickets;
    private final HttpServer server;
    private final WebSocketClient sockets;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();

    TryIt(LiveKitCredentials livekit, OpenAiCredentials openai, RealtimeConfig realtime, TicketService tickets, HttpServer server, Vertx vertx) {
        this.livekit = livekit;
        this.openai = openai;
        this.realtime = realtime;
        this.tickets = tickets;
        this.server = server;
        this.sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout((int) TIMEOUT.toMillis()));
    }

    /** Blocking: calls livekit-server. */
    LiveKitResult liveKit() {
        String serverUrl = livekit.serverUrl().orElse(null);
        Optional<LiveKitKey> key = livekit.signingKey();
        String identity = IDENTITY + "-" + HexFormat.of().formatHex(randomBytes(3));
        if (key.isEmpty()) {
            return new LiveKitResult(false, serverUrl, null, ROOM, identity, null, "no signing key: see the livekit.* checks");
        }
        Optional<String> apiUrl = livekit.apiUrl().filter(u -> !u.isBlank());
        if (apiUrl.isEmpty()) {
            return new LiveKitResult(false, serverUrl, key.get().apiKey(), ROOM, identity, null, "LIVEKIT_URL is not set: see the livekit.url check");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String token = LiveKitTokenIssuer.sign(key.get(), identity, now, now.plusSeconds(60),
                Map.of("name", "realtime-gateway console", "video", Map.of("roomJoin", true, "room", ROOM, "canPublish", false)));
        URI validate = URI.create(Urls.stripTrailingSlashes(apiUrl.get()) + "/rtc/validate?access_token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(validate).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String said = redact(answer.body(), token);
            boolean ok = answer.statusCode() == 200;
            return new LiveKitResult(ok, serverUrl, key.get().apiKey(), ROOM, identity, answer.statusCode(),
                    ok ? "livekit-server accepts the token for room " + ROOM + " (" + said + ")" : said);
        } catch (IOException e) {
            return new LiveKitResult(false, serverUrl, key.get().apiKey(), ROOM, identity, null,
                    "livekit-server unreachable at " + apiUrl.get() + ": " + NetworkFailure.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LiveKitResult(false, serverUrl, key.get().apiKey(), ROOM, identity, null, "interrupted");
        }
    }

    /** livekit-server v1.13.5 quotes the token in some 401 bodies: never pass it on. */
    static String redact(String body, String token) {
        String text = body == null ? "" : body.replace(token, "<token>").strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
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
        String ticket = tickets.issue(IDENTITY, model).value();
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
            String why = rejected.getHeaders() == null ? null : rejected.getHeaders().get(Problems.REFUSAL_HEADER);
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

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
