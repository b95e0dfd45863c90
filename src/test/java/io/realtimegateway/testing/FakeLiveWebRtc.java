package io.realtimegateway.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.eclipse.microprofile.config.ConfigProvider;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * GPT-Live's WebRTC side, served by {@link FakeOpenAiUpstream} (same port, same key):
 * <ul>
 * <li>{@code POST /v1/live/sessions} with JSON {@code {session, transport:{type:"webrtc", sdp}}} and the server key:
 * 201 {@code {"session":{"id":"live_fake_<n>"},"transport":{"type":"webrtc","sdp":<answer>}}} ({@link FakeOpenAiUpstream#answerFor}).
 * Like OpenAI's strict schema, an unknown top-level or {@code session} field is a 400 {@code unknown_parameter}; a
 * model it does not serve ({@link FakeLive#MODELS}) 400 {@code model_not_found}; a bad key 401.</li>
 * <li>{@code GET /v1/live/sessions/{id}/attach} (WebSocket, the server key): the sideband. It replays nothing. It
 * accepts {@code session.close} (answered with {@code session.closed}, reason {@code close_requested}, the seconds
 * since the create as {@code usage.seconds}, then a close 1000) and refuses {@code session.start} and
 * {@code session.input_audio.append} with an {@code error} event, as OpenAI's sideband does. Unknown ids get 404.</li>
 * <li>{@code POST /v1/live/sessions/{id}/hangup}: ends the session ({@code session.closed} to its sidebands, then 1000).</li>
 * </ul>
 * Test control under {@code /_fake/live-rtc/}: {@code control} ({@code {"attachStatus":503}} refuses attaches with
 * that status, 0 accepts; {@code {"attachDelayMs":1000}} answers them that much later), {@code received} ({@code {"creates":[…],"attaches":[…],"hangups":[…],"log":[…]}}, where
 * {@code log} orders {@code create <id>}, {@code attach <id>} and {@code hangup <id>}), and
 * {@code sessions/{id}/browser} with what the browser's data channel sends: {@code {"type":"fake.usage","seconds":N}}
 * (OpenAI's {@code session.usage.updated} to the sidebands), {@code {"type":"session.close"}} (the browser hangs up:
 * {@code session.closed} with reason {@code close_requested}), {@code {"type":"fake.drop"}} (the sidebands' TCP
 * connections drop without a close frame).
 */
public final class FakeLiveWebRtc {

    private static final Set<String> TOP_LEVEL = Set.of("session", "transport");
    private static final Set<String> SESSION_FIELDS = Set.of("model", "instructions", "input", "audio", "delegation", "store", "client");
    private static final String PREFIX = "/v1/live/sessions";

    private final Predicate<HttpServerRequest> authorized;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final List<JsonObject> creates = new CopyOnWriteArrayList<>();
    private final List<JsonObject> attaches = new CopyOnWriteArrayList<>();
    private final List<String> hangups = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private volatile int attachStatus;
    private volatile int attachDelayMs;

    /** A session the fake created: its config, when, and its open sidebands. */
    private record Session(String id, JsonObject config, long createdNanos, List<ServerWebSocket> sidebands) {

        long seconds() {
            return (System.nanoTime() - createdNanos) / 1_000_000_000L;
        }
    }

    FakeLiveWebRtc(Predicate<HttpServerRequest> authorized) {
        this.authorized = authorized;
    }

    /** Serves the request when it is one of this fake's; false leaves it to the caller. */
    boolean handle(HttpServerRequest request) {
        String path = request.path();
        String method = request.method().name();
        if (path.equals(PREFIX) && method.equals("POST")) {
            request.body().onSuccess(body -> create(request, body));
        } else if (path.startsWith(PREFIX + "/") && path.endsWith("/attach") && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            attach(request, path.substring(PREFIX.length() + 1, path.length() - "/attach".length()));
        } else if (path.startsWith(PREFIX + "/") && path.endsWith("/hangup") && method.equals("POST")) {
            String id = path.substring(PREFIX.length() + 1, path.length() - "/hangup".length());
            hangups.add(id);
            log.add("hangup " + id);
            Session session = sessions.get(id);
            if (!authorized.test(request) || session == null) {
                request.response().setStatusCode(session == null ? 404 : 401).end();
                return true;
            }
            closed(session, "close_requested");
            request.response().setStatusCode(200).end();
        } else if (path.equals("/_fake/live-rtc/control")) {
            request.body().onSuccess(body -> {
                JsonObject control = body.length() == 0 ? new JsonObject() : body.toJsonObject();
                attachStatus = control.getInteger("attachStatus", attachStatus);
                attachDelayMs = control.getInteger("attachDelayMs", attachDelayMs);
                request.response().end("{}");
            });
        } else if (path.equals("/_fake/live-rtc/received")) {
            request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("creates", new JsonArray(List.copyOf(creates))).put("attaches", new JsonArray(List.copyOf(attaches)))
                    .put("hangups", new JsonArray(List.copyOf(hangups))).put("log", new JsonArray(List.copyOf(log))).encode());
        } else if (path.startsWith("/_fake/live-rtc/sessions/") && path.endsWith("/browser")) {
            String id = path.substring("/_fake/live-rtc/sessions/".length(), path.length() - "/browser".length());
            request.body().onSuccess(body -> request.response().setStatusCode(browser(id, body.toJsonObject()) ? 200 : 404).end("{}"));
        } else {
            return false;
        }
        return true;
    }

    /** Forgets every session and recording (with the rest of the fake's reset). */
    void reset() {
        sessions.values().forEach(s -> s.sidebands().forEach(ws -> ws.close((short) 1000, "reset")));
        sessions.clear();
        creates.clear();
        attaches.clear();
        hangups.clear();
        log.clear();
        attachStatus = 0;
        attachDelayMs = 0;
    }

    private void create(HttpServerRequest request, Buffer body) {
        JsonObject record = new JsonObject().put("contentType", request.getHeader("Content-Type"));
        JsonObject headers = new JsonObject();
        request.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
        record.put("headers", headers);
        creates.add(record);
        if (!authorized.test(request)) {
            answer(request, record, 401, error("invalid_api_key", "Incorrect API key provided."));
            return;
        }
        JsonObject json;
        try {
            json = body.toJsonObject();
        } catch (RuntimeException e) {
            answer(request, record, 400, error("invalid_json", "The body is not JSON."));
            return;
        }
        record.put("body", json);
        String unknown = json.fieldNames().stream().filter(f -> !TOP_LEVEL.contains(f)).findFirst().orElse(null);
        JsonObject session = json.getValue("session") instanceof JsonObject s ? s : null;
        JsonObject transport = json.getValue("transport") instanceof JsonObject t ? t : null;
        if (unknown == null && session != null) {
            unknown = session.fieldNames().stream().filter(f -> !SESSION_FIELDS.contains(f)).map(f -> "session." + f).findFirst().orElse(null);
        }
        if (unknown != null) {
            answer(request, record, 400, error("unknown_parameter", "Unknown parameter: '" + unknown + "'.").put("param", unknown));
        } else if (session == null || !FakeLive.MODELS.contains(session.getString("model", ""))) {
            answer(request, record, 400, error("model_not_found", "The model does not exist or you do not have access to it."));
        } else if (transport == null || !"webrtc".equals(transport.getString("type")) || !transport.getString("sdp", "").startsWith("v=0")) {
            answer(request, record, 400, error("invalid_request", "transport must be {type: webrtc, sdp: <offer>}."));
        } else {
            String id = "live_fake_" + ids.incrementAndGet();
            sessions.put(id, new Session(id, session.copy(), System.nanoTime(), new CopyOnWriteArrayList<>()));
            log.add("create " + id);
            record.put("answered", 201).put("sessionId", id);
            request.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("session", new JsonObject().put("id", id))
                    .put("transport", new JsonObject().put("type", "webrtc").put("sdp", FakeOpenAiUpstream.answerFor(transport.getString("sdp"))))
                    .encode());
        }
    }

    private static void answer(HttpServerRequest request, JsonObject record, int status, JsonObject error) {
        record.put("answered", status);
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(new JsonObject().put("error", error).encode());
    }

    private void attach(HttpServerRequest request, String id) {
        JsonObject record = new JsonObject().put("sessionId", id).put("query", request.query()).put("messages", new JsonArray()).put("closed", false);
        JsonObject headers = new JsonObject();
        request.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
        record.put("headers", headers);
        attaches.add(record);
        Session session = sessions.get(id);
        int status = !authorized.test(request) ? 401 : session == null ? 404 : attachStatus;
        if (status != 0) {
            record.put("closed", true).put("refusedWith", status);
            request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", error(status == 404 ? "session_not_found" : "refused", "refused by the fake")).encode());
            return;
        }
        if (attachDelayMs > 0) {
            request.pause();
            Vertx.currentContext().owner().setTimer(attachDelayMs, t -> {
                request.resume();
                accept(request, session, record);
            });
        } else {
            accept(request, session, record);
        }
    }

    /** The attach succeeds: logged as it is answered (after any delay), so the log orders it against the create's answer. */
    private void accept(HttpServerRequest request, Session session, JsonObject record) {
        log.add("attach " + session.id());
        request.toWebSocket().onSuccess(ws -> {
            session.sidebands().add(ws);
            ws.closeHandler(v -> {
                session.sidebands().remove(ws);
                synchronized (record) {
                    record.put("closed", true).put("closeCode", ws.closeStatusCode() == null ? null : (int) ws.closeStatusCode());
                }
            });
            ws.textMessageHandler(text -> {
                synchronized (record) {
                    record.getJsonArray("messages").add(text);
                }
                JsonObject event;
                try {
                    event = new JsonObject(text);
                } catch (RuntimeException e) {
                    send(ws, "error", new JsonObject().put("error", error("invalid_json", "The event is not valid JSON.")));
                    return;
                }
                switch (event.getString("type", "")) {
                    case "session.close" -> closed(session, "close_requested");
                    case "session.start", "session.input_audio.append" -> send(ws, "error", new JsonObject().put("error",
                            error("invalid_event", event.getString("type") + " is not accepted on a sideband.")));
                    default -> {
                        // Other commands are accepted silently here.
                    }
                }
            });
        });
    }

    private boolean browser(String id, JsonObject event) {
        Session session = sessions.get(id);
        if (session == null) {
            return false;
        }
        switch (event.getString("type", "")) {
            case "fake.usage" -> session.sidebands().forEach(ws -> send(ws, "session.usage.updated",
                    new JsonObject().put("usage", new JsonObject().put("seconds", event.getLong("seconds", session.seconds())))));
            case "session.close" -> closed(session, "close_requested");
            case "fake.drop" -> session.sidebands().forEach(FakeOpenAiUpstream::drop);
            default -> session.sidebands().forEach(ws -> ws.writeTextMessage(event.encode()));
        }
        return true;
    }

    /** OpenAI's end of a session: the terminal {@code session.closed} with the final usage, then the sidebands close. */
    private void closed(Session session, String reason) {
        if (sessions.remove(session.id()) == null) {
            return;
        }
        JsonObject resource = new JsonObject().put("id", session.id()).put("status", "active").put("model", session.config().getString("model"));
        for (ServerWebSocket ws : session.sidebands()) {
            send(ws, "session.closed", new JsonObject().put("reason", reason).put("session", resource)
                    .put("usage", new JsonObject().put("seconds", session.seconds())));
            ws.close((short) 1000, "session closed");
        }
    }

    private static void send(ServerWebSocket ws, String type, JsonObject body) {
        if (!ws.isClosed()) {
            ws.writeTextMessage(new JsonObject().put("type", type).put("event_id", "evt_fake_" + System.nanoTime()).mergeIn(body).encode());
        }
    }

    private static JsonObject error(String code, String message) {
        return new JsonObject().put("type", "invalid_request_error").put("code", code).put("message", message);
    }

    /** The control of the running fake's WebRTC side, found through the test's config. */
    public static Control control() {
        return new Control(ConfigProvider.getConfig().getValue("fake.openai.control-url", String.class) + "/live-rtc");
    }

    /** Plain-HTTP control (see the class Javadoc); {@link FakeOpenAiUpstream.Control#reset()} resets it too. */
    public record Control(String url) {

        private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        /** Answer sideband attaches this much later (0 = at once). */
        public void attachDelayMs(int millis) {
            post("/control", new JsonObject().put("attachDelayMs", millis).encode());
        }

        /** Refuse sideband attaches with this HTTP status (0 = accept). */
        public void attachStatus(int status) {
            post("/control", new JsonObject().put("attachStatus", status).encode());
        }

        public JsonObject received() {
            return new JsonObject(call(HttpRequest.newBuilder(URI.create(url + "/received")).GET().build()));
        }

        /** {@code POST /v1/live/sessions} requests, oldest first: {@code {headers, contentType, body, answered, sessionId}}. */
        public List<JsonObject> creates() {
            return received().getJsonArray("creates").stream().map(JsonObject.class::cast).toList();
        }

        /** Sideband attaches, oldest first: {@code {sessionId, query, headers, messages[], closed, closeCode, refusedWith}}. */
        public List<JsonObject> attaches() {
            return received().getJsonArray("attaches").stream().map(JsonObject.class::cast).toList();
        }

        public List<String> hangups() {
            return received().getJsonArray("hangups").stream().map(String.class::cast).toList();
        }

        /** {@code create <id>}, {@code attach <id>}, {@code hangup <id>} in the order the fake saw them. */
        public List<String> log() {
            return received().getJsonArray("log").stream().map(String.class::cast).toList();
        }

        /** The browser of session {@code id} sends {@code event} on its data channel (see the class Javadoc). */
        public void browserSends(String id, JsonObject event) {
            post("/sessions/" + id + "/browser", event.encode());
        }

        private void post(String path, String body) {
            call(HttpRequest.newBuilder(URI.create(url + path)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
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
