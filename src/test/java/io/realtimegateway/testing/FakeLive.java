package io.realtimegateway.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.config.ConfigProvider;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A fake GPT-Live API, served by {@link FakeOpenAiUpstream} from the same base URL: the primary WebSocket at
 * {@code /v1/live/sessions} (no query; the server key as Bearer, else HTTP 401 with OpenAI's error body).
 * <p>
 * The protocol, as OpenAI documents it: the first client event must be {@code session.start} (else an {@code error}
 * event and close 1008); its model must be one of {@link #MODELS} (else {@code model_not_found} and 1008); the
 * answer is {@code session.started} with the resolved session ({@code id} {@code live_fake_<n>}, {@code status}
 * active, {@code delegation} {@code {type:client}} when none). Then: {@code session.input_audio.append} has no ack and
 * is echoed as {@code session.output_audio.delta} plus a {@code session.output_transcript.delta}; {@code session.update}
 * (delegation only, else {@code immutable_field_update}) → {@code session.updated}; the three appends →
 * {@code session.*.appended} with {@code start_ms}/{@code end_ms}; mute/unmute → muted/unmuted; {@code response.*}
 * in client delegation → an error; a second {@code session.start} → an error; {@code session.close} →
 * {@code session.closed} ({@code reason: close_requested}, {@code usage.seconds}) and close 1000. Every
 * {@code usageIntervalMs} (control, default 1000) a cumulative {@code session.usage.updated} counts whole seconds
 * since {@code session.started}, plus {@code extraSeconds} (control), so a test can make OpenAI bill more than the
 * gateway's clock.
 * <p>
 * Control on the fake's control URL: {@code GET /_fake/live/received} (every session: headers, messages received,
 * close), {@code POST /_fake/live/control} {@code {"usageIntervalMs":N,"extraSeconds":N}}; {@code /_fake/reset}
 * clears it too. Tests reach it through {@link Control}.
 */
public final class FakeLive {

    /** The GPT-Live models the fake knows (also answered by {@code GET /v1/models/{id}}). */
    public static final Set<String> MODELS = Set.of("gpt-live-1", "gpt-live-1.1");
    static final String PATH = "/v1/live/sessions";

    private final Vertx vertx;
    private final java.util.function.Predicate<HttpServerRequest> authorized;
    private final List<JsonObject> sessions = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile int usageIntervalMs = 1000;
    private volatile int extraSeconds;

    FakeLive(Vertx vertx, java.util.function.Predicate<HttpServerRequest> authorized) {
        this.vertx = vertx;
        this.authorized = authorized;
    }

    /** Whether this request is the fake's to answer (a Live path or its control). */
    static boolean serves(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/") || path.startsWith("/_fake/live/");
    }

    /** Answers a request {@link #serves(String)} accepted. */
    void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.equals("/_fake/live/received")) {
            request.response().putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("sessions", new JsonArray(List.copyOf(sessions))).encode());
        } else if (path.equals("/_fake/live/control")) {
            request.body().onSuccess(body -> {
                JsonObject control = body.length() == 0 ? new JsonObject() : body.toJsonObject();
                usageIntervalMs = control.getInteger("usageIntervalMs", usageIntervalMs);
                extraSeconds = control.getInteger("extraSeconds", extraSeconds);
                request.response().end("{}");
            });
        } else if (path.equals(PATH) && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            upgrade(request);
        } else {
            request.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", errorBody("not_found", "The fake serves the primary WebSocket only.", null)).encode());
        }
    }

    void reset() {
        sessions.clear();
        usageIntervalMs = 1000;
        extraSeconds = 0;
    }

    /** Whether a model is one the fake knows. */
    static boolean knows(String model) {
        return MODELS.contains(model);
    }

    private void upgrade(HttpServerRequest request) {
        JsonObject record = new JsonObject().put("path", request.path()).put("query", request.query()).put("messages", new JsonArray())
                .put("closed", false);
        JsonObject headers = new JsonObject();
        request.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
        record.put("headers", headers);
        sessions.add(record);
        if (!authorized.test(request)) {
            record.put("closed", true).put("refusedWith", 401);
            request.response().setStatusCode(401).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", errorBody("invalid_api_key", "Incorrect API key provided.", null)).encode());
            return;
        }
        request.toWebSocket().onSuccess(ws -> new Session(ws, record).start());
    }

    /** One fake Live session. */
    private final class Session {
        private final ServerWebSocket ws;
        private final JsonObject record;
        private JsonObject session;
        private long startedAt;
        private long usageTimer = -1;
        private int timelineMs;

        Session(ServerWebSocket ws, JsonObject record) {
            this.ws = ws;
            this.record = record;
        }

        void start() {
            ws.closeHandler(v -> {
                vertx.cancelTimer(usageTimer);
                synchronized (record) {
                    record.put("closed", true).put("closeCode", ws.closeStatusCode() == null ? null : (int) ws.closeStatusCode())
                            .put("closeReason", ws.closeReason());
                }
            });
            ws.textMessageHandler(this::received);
        }

        private void received(String text) {
            JsonObject event;
            try {
                event = new JsonObject(text);
            } catch (RuntimeException e) {
                send(new JsonObject().put("type", "error").put("error", errorBody("invalid_json", "The event is not JSON.", null)));
                return;
            }
            synchronized (record) {
                record.getJsonArray("messages").add(event);
            }
            String type = event.getString("type", "");
            String clientId = event.getString("event_id");
            if (session == null) {
                if (!"session.start".equals(type)) {
                    fatal("session_start_required", "The first event must be session.start.", clientId);
                    return;
                }
                begin(event.getJsonObject("session", new JsonObject()), clientId);
                return;
            }
            switch (type) {
                case "session.start" -> error("session_already_started", "The session has already started.", clientId, "type");
                case "session.input_audio.append" -> {
                    String audio = event.getString("audio", "");
                    send(new JsonObject().put("type", "session.output_audio.delta").put("delta", audio));
                    send(ack("session.output_transcript.delta", null).put("delta", "echo ").put("start_ms", timelineMs).put("end_ms", timelineMs + 50));
                    timelineMs += 50;
                }
                case "session.update" -> {
                    JsonObject update = event.getJsonObject("session", new JsonObject());
                    if (update.fieldNames().stream().anyMatch(n -> !"delegation".equals(n))) {
                        error("immutable_field_update", "Only delegation backend settings can be updated after startup.", clientId, "session");
                    } else {
                        session.put("delegation", update.getValue("delegation", session.getValue("delegation")));
                        send(ack("session.updated", clientId).put("session", session.copy()));
                    }
                }
                case "session.instructions.append", "session.thinking.append", "session.commentary.append" ->
                    send(ack(type.replace(".append", ".appended"), clientId).put("start_ms", timelineMs).put("end_ms", timelineMs));
                case "session.input_audio.mute" -> send(ack("session.input_audio.muted", clientId));
                case "session.input_audio.unmute" -> send(ack("session.input_audio.unmuted", clientId));
                case "response.create", "response.item.create" -> {
                    if (!"responses".equals(session.getJsonObject("delegation", new JsonObject()).getString("type"))) {
                        error(null, type + " requires Responses delegation.", clientId, null);
                    }
                }
                case "session.close" -> {
                    send(ack("session.closed", clientId).put("reason", "close_requested")
                            .put("session", new JsonObject().put("id", session.getString("id")).put("status", "active")
                                    .put("model", session.getString("model")).put("expires_at", session.getLong("expires_at")))
                            .put("usage", new JsonObject().put("seconds", seconds())));
                    vertx.cancelTimer(usageTimer);
                    ws.close((short) 1000, "session closed");
                }
                default -> error("unknown_event", "Unknown client event type: " + type, clientId, "type");
            }
        }

        private void begin(JsonObject asked, String clientId) {
            String model = asked.getString("model");
            if (!knows(model)) {
                fatal("model_not_found", "The model `" + model + "` does not exist or you do not have access to it.", clientId);
                return;
            }
            startedAt = System.nanoTime();
            session = new JsonObject().put("id", "live_fake_" + ids.incrementAndGet()).put("expires_at", System.currentTimeMillis() / 1000 + 3600)
                    .put("model", model).put("status", "active")
                    .put("audio", asked.getJsonObject("audio", new JsonObject().put("format", new JsonObject().put("type", "audio/pcm").put("rate", 24000))))
                    .put("delegation", asked.getValue("delegation", new JsonObject().put("type", "client")))
                    .put("input", asked.getValue("input", new JsonArray())).put("store", asked.getBoolean("store", false))
                    .put("instructions", asked.getValue("instructions"));
            send(ack("session.started", clientId).put("session", session.copy()));
            if (usageIntervalMs > 0) {
                usageTimer = vertx.setPeriodic(usageIntervalMs, t -> send(ack("session.usage.updated", null)
                        .put("usage", new JsonObject().put("seconds", seconds())).put("context_window", new JsonObject().put("usage_ratio", 0.01))));
            }
        }

        private long seconds() {
            return (System.nanoTime() - startedAt) / 1_000_000_000L + extraSeconds;
        }

        private void fatal(String code, String message, String clientId) {
            send(new JsonObject().put("type", "error").put("event_id", "event_fake_" + System.nanoTime()).put("error", errorBody(code, message, clientId)));
            ws.close((short) 1008, code);
        }

        private void error(String code, String message, String clientId, String param) {
            send(new JsonObject().put("type", "error").put("event_id", "event_fake_" + System.nanoTime())
                    .put("error", errorBody(code, message, clientId).put("param", param)));
        }

        private JsonObject ack(String type, String clientId) {
            JsonObject event = new JsonObject().put("type", type).put("event_id", "event_fake_" + System.nanoTime());
            if (clientId != null) {
                event.put("client_event_id", clientId);
            }
            return event;
        }

        private void send(JsonObject event) {
            if (!ws.isClosed()) {
                ws.writeTextMessage(event.encode());
            }
        }
    }

    private static JsonObject errorBody(String code, String message, String clientId) {
        return new JsonObject().put("type", "invalid_request_error").put("code", code).put("message", message).putNull("param")
                .put("client_event_id", clientId);
    }

    /** The control of the running fake's Live part, found through the test's config. */
    public static Control control() {
        return new Control(ConfigProvider.getConfig().getValue("fake.openai.control-url", String.class));
    }

    /** Plain-HTTP control of the fake's Live part ({@code url}: the fake's control URL, {@code …/_fake}). */
    public record Control(String url) {

        private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        /** Every Live session the fake saw, oldest first: {@code {headers, query, messages:[…], closed, closeCode, closeReason}}. */
        public List<JsonObject> sessions() {
            String body = call(HttpRequest.newBuilder(URI.create(url + "/live/received")).GET().build());
            return new JsonObject(body).getJsonArray("sessions").stream().map(JsonObject.class::cast).toList();
        }

        /** Every client event the fake received, over all sessions, oldest first. */
        public List<JsonObject> received() {
            return sessions().stream().flatMap(s -> s.getJsonArray("messages").stream().map(JsonObject.class::cast)).toList();
        }

        /** How often {@code session.usage.updated} is sent (0: never), and seconds added to what it reports. */
        public void usage(int intervalMs, int extraSeconds) {
            call(HttpRequest.newBuilder(URI.create(url + "/live/control"))
                    .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("usageIntervalMs", intervalMs).put("extraSeconds", extraSeconds).encode()))
                    .build());
        }

        private static String call(HttpRequest request) {
            try {
                return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
            } catch (Exception e) {
                throw new IllegalStateException("fake GPT-Live control call failed: " + request.uri(), e);
            }
        }
    }
}
