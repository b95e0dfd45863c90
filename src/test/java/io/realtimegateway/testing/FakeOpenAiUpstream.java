package io.realtimegateway.testing;

import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A fake OpenAI API (GA Realtime WebSocket, {@code GET /v1/models/{id}}, WebRTC calls, their sideband and client secrets) on 127.0.0.1, port 0, for tests.
 * GPT-Live ({@code /v1/live/sessions}) is {@link FakeLive}'s, served from the same base URL.
 *
 * <h2>Use</h2>
 * {@code @WithTestResource(FakeOpenAiUpstream.class)} on a {@code @QuarkusTest}. It returns the config
 * {@code gateway.openai.base-url=http://127.0.0.1:<port>/v1}, {@code gateway.openai.api-key=}{@link #API_KEY},
 * {@code gateway.realtime.enabled=true} and {@code fake.openai.control-url=http://127.0.0.1:<port>/_fake}.
 * Init args (optional): {@code models} (comma-separated known model ids, default {@code gpt-realtime,gpt-realtime-mini}),
 * {@code api-key} (the key it accepts, default {@link #API_KEY}).
 * Tests drive and inspect it with {@link #control()} (plain HTTP, so it also works from non-Java clients):
 * <ul>
 * <li>{@code POST /_fake/reset}: forget recordings, restore the default behaviour;</li>
 * <li>{@code POST /_fake/control} with {@code {"rejectKeys":true}} (every key is answered as a bad key: error event
 * {@code invalid_api_key} then close 3000 {@code invalid_request_error.invalid_api_key}), {@code {"handshakeStatus":403}}
 * (refuse the WebSocket upgrade with that HTTP status), {@code {"handshakeDelayMs":3000}} (answer upgrades that much
 * later), {@code {"silent":true}} (no {@code session.created}),
 * {@code {"audio":true}} (a voice model: see <i>Audio</i> below), {@code {"modelsAnswer":"missing-scope"}} ({@code GET /v1/models/{id}} answers 401 "insufficient permissions … Missing
 * scopes: api.model.read", as for a restricted key, whatever the key; the WebSocket is unaffected) or
 * {@code {"modelsAnswer":"insufficient-quota"}} (429 {@code insufficient_quota}); {@code GET /_fake/received} also
 * counts {@code modelRequests};</li>
 * <li>{@code GET /_fake/received}: {@code {"upgrades":N,"connections":[{path,query,headers,messages[],binaryFrames[],
 * closed,closeCode,closeReason}],"calls":[…],"clientSecrets":[…],"hangups":[…]}}; messages over 4 KiB are recorded as
 * {@code "<N chars>"};</li>
 * <li>{@code POST /_fake/calls/{id}/client} with an event: what the call's browser sends over its data channel
 * ({@code session.update}, {@code response.create}, {@code fake.transcription} for its speech transcribed, or
 * {@code fake.hangup} for the browser leaving).</li>
 * </ul>
 *
 * <h2>WebRTC</h2>
 * {@code POST /v1/realtime/calls} takes the unified interface's multipart form with the server key: parts {@code sdp}
 * (application/sdp, starting {@code v=0}) and {@code session} (application/json, type realtime, a known model). It
 * answers 201 with an SDP answer that a browser accepts ({@link #answerFor}) and {@code Location: /v1/realtime/calls/rtc_fake_<n>}; a bad key gets OpenAI's
 * 401 (quoting the key's tail), a bad form 400, and {@code ?model=} OpenAI's empty 400. The sideband
 * {@code /v1/realtime?call_id=<id>} (404 {@code call_id_not_found} for unknown calls) shares the call's session:
 * {@code session.created} carries the {@code session} part, and the browser's events (above) reach every sideband.
 * {@code POST /v1/realtime/calls/{id}/hangup} closes the call's sidebands with 1000. {@code POST
 * /v1/realtime/client_secrets} checks the key and {@code expires_after.seconds} (10–7200), and answers OpenAI's shape
 * ({@code value} {@code ek_fake…}, {@code expires_at}, {@code session}: the request's, over the defaults).
 *
 * <h2>Protocol</h2>
 * On open: {@code session.created} with {@code session.id = sess_fake_<n>} and the query's model (or type
 * transcription for {@code intent=transcription}). A bad {@code Authorization: Bearer} gets the error event and close
 * 3000; an {@code OpenAI-Beta} header gets {@code beta_api_shape_disabled} and close 4000 (as OpenAI does).
 * {@code session.update} merges {@code session} fields and answers {@code session.updated} with the whole session, so
 * rewrites (model, instructions) are visible. {@code response.create} answers {@code response.created}, three
 * {@code response.output_text.delta}, {@code response.output_text.done} and {@code response.done} with usage
 * (10 input, 20 output, 30 total tokens). Test-only client events: {@code {"type":"fake.echo",…}} is echoed verbatim;
 * {@code {"type":"fake.error","error":{…}}} is answered with an {@code error} event carrying that {@code error};
 * {@code {"type":"fake.close","code":4001,"reason":"bye"}} closes with that code; {@code {"type":"fake.drop"}} drops
 * the TCP connection without a close frame (the client sees 1006); {@code {"type":"fake.burst","bytes":N,"count":K}} sends K
 * binary frames of N zero bytes. A binary frame starting with {@code {} is read as an event, like a text frame; other
 * binary frames are echoed. Frames up to 64 MiB.
 *
 * <h2>Audio</h2>
 * With {@code {"audio":true}} the fake answers like a voice model: {@code response.create} gets a response whose one
 * message item carries {@link #AUDIO_SECONDS} s of a 440 Hz tone ({@code response.output_item.added},
 * {@code response.content_part.added}, {@code response.output_audio.delta} in 100 ms chunks of base64 PCM16 at 24 kHz
 * mono, {@code response.output_audio_transcript.delta}, then the {@code .done} events and {@code response.done} with
 * usage), with {@code response.metadata} echoed in {@code response.created} as OpenAI does (LiveKit's
 * {@code generate_reply} matches its request by it); and each connection answers its
 * {@link #APPENDS_BEFORE_REPLY}th {@code input_audio_buffer.append} with such a response too (a stand-in for
 * server-side voice detection, so a client streaming a microphone gets one spoken answer per connection). Each
 * connection's record counts its {@code audioAppends}.
 *
 * <h2>Like a Node server</h2>
 * A request carrying an {@code Upgrade} header anywhere but a WebSocket upgrade of {@code /v1/realtime} (e.g. the JDK
 * client's {@code Upgrade: h2c} on {@code http://}) has its connection dropped without an answer, as Node servers that
 * handle WebSocket upgrades do; {@code GET /_fake/received} counts them as {@code droppedUpgrades}.
 */
public class FakeOpenAiUpstream implements QuarkusTestResourceLifecycleManager {

    /** The key the fake accepts unless {@code api-key} is given. A valid-looking sk- key, so key lints pass. */
    // Literals split after the prefix throughout the tests: no tracked file may hold something shaped like a real key.
    public static final String API_KEY = "sk-proj-" + "fakeUpstreamTestKey0123456789abcdefXYZ";
    private static final int MAX_RECORDED_CHARS = 4096;
    /** Length of the spoken answer in audio mode. */
    public static final double AUDIO_SECONDS = 1.0;
    /** In audio mode, the {@code input_audio_buffer.append} of a connection that it answers. */
    public static final int APPENDS_BEFORE_REPLY = 25;
    private static final int AUDIO_RATE = 24000;

    private Vertx vertx;
    private HttpServer server;
    /** Where the API is served over TLS ({@link #standalone(SelfSignedTls)}); null: plain HTTP only. */
    private SelfSignedTls tls;
    private HttpServer tlsServer;
    private String apiKey = API_KEY;
    private Set<String> models = Set.of("gpt-realtime", "gpt-realtime-mini", "gpt-live-1", "gpt-live-1.1");
    /** GPT-Live at {@code /v1/live/sessions}, from the same base URL. */
    private FakeLive live;

    private final AtomicInteger upgrades = new AtomicInteger();
    private final AtomicInteger sessions = new AtomicInteger();
    private final List<JsonObject> connections = new CopyOnWriteArrayList<>();
    private volatile boolean rejectKeys;
    private volatile int handshakeStatus;
    private volatile boolean silent;
    private volatile String modelsAnswer = "";
    private final AtomicInteger modelRequests = new AtomicInteger();
    private final AtomicInteger droppedUpgrades = new AtomicInteger();
    private volatile int handshakeDelayMs;
    /** Answer like a voice model (class Javadoc, <i>Audio</i>). */
    private volatile boolean audio;
    /** A real WebRTC peer ({@link WebRtcPeer}) that answers the calls' offers instead of the canned answer; null: canned. */
    private volatile String peerUrl;
    /** The client for {@link #peerUrl} (java.net.http's HttpClient has the short name here). */
    private io.vertx.core.http.HttpClient peers;
    private final AtomicInteger callIds = new AtomicInteger();
    private final AtomicInteger secretIds = new AtomicInteger();
    /** Calls set up through {@code /v1/realtime/calls}, by id: their session and their open sidebands. */
    private final Map<String, FakeCall> calls = new ConcurrentHashMap<>();
    private final List<JsonObject> callRequests = new CopyOnWriteArrayList<>();
    private final List<JsonObject> secretRequests = new CopyOnWriteArrayList<>();
    private final List<String> hangups = new CopyOnWriteArrayList<>();
    /** GPT-Live's WebRTC create and sideband ({@link FakeLiveWebRtc}), on this server with this key. */
    private final FakeLiveWebRtc liveRtc = new FakeLiveWebRtc(this::authorized);

    /** A call the fake accepted: its session (shared by its sidebands) and the sidebands open on it. */
    private record FakeCall(String id, JsonObject session, List<ServerWebSocket> sidebands) {
    }

    @Override
    public void init(Map<String, String> initArgs) {
        if (initArgs.containsKey("api-key")) {
            apiKey = initArgs.get("api-key");
        }
        if (initArgs.containsKey("models")) {
            models = Set.of(initArgs.get("models").split(","));
        }
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        peers = vertx.createHttpClient();
        live = new FakeLive(vertx, this::authorized);
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setMaxWebSocketFrameSize(64 * 1024 * 1024).setMaxWebSocketMessageSize(64 * 1024 * 1024)
                .addWebSocketSubProtocol("realtime")
                // Not Vert.x's own h2c handling: the request handler sees the Upgrade header and drops it (class Javadoc).
                .setHttp2ClearTextEnabled(false);
        try {
            server = vertx.createHttpServer(options).requestHandler(this::handle).listen().toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake OpenAI upstream did not start", e);
        }
        String base = "http://127.0.0.1:" + server.actualPort();
        String apiBase = tls == null ? base : "https://127.0.0.1:" + listenTls(options);
        return Map.of("gateway.openai.base-url", apiBase + "/v1",
                "gateway.openai.api-key", apiKey,
                "gateway.realtime.enabled", "true",
                "fake.openai.control-url", base + "/_fake");
    }

    /** The same API over TLS with {@link #tls}'s certificate (SAN 127.0.0.1); the control stays on plain HTTP. */
    private int listenTls(HttpServerOptions plain) {
        HttpServerOptions options = new HttpServerOptions(plain).setSsl(true)
                .setKeyCertOptions(new PfxOptions().setPath(tls.keyStore().toString()).setPassword(tls.password()));
        try {
            tlsServer = vertx.createHttpServer(options).requestHandler(this::handle).listen().toCompletionStage()
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            return tlsServer.actualPort();
        } catch (Exception e) {
            throw new IllegalStateException("fake OpenAI upstream did not start its TLS server", e);
        }
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        if (liveRtc.handle(request)) {
            return;
        }
        String upgrade = request.getHeader("Upgrade");
        if (FakeLive.serves(path)) {
            live.handle(request);
            return;
        }
        if (upgrade != null && !(path.equals("/v1/realtime") && "websocket".equalsIgnoreCase(upgrade))) {
            droppedUpgrades.incrementAndGet();
            request.connection().close();
            return;
        }
        if (path.equals("/v1/realtime") && "websocket".equalsIgnoreCase(upgrade)) {
            realtime(request);
        } else if (path.equals("/v1/realtime/calls") && request.method().name().equals("POST")) {
            request.body().onSuccess(body -> call(request, body));
        } else if (path.startsWith("/v1/realtime/calls/") && path.endsWith("/hangup") && request.method().name().equals("POST")) {
            hangup(request, path.substring("/v1/realtime/calls/".length(), path.length() - "/hangup".length()));
        } else if (path.equals("/v1/realtime/client_secrets") && request.method().name().equals("POST")) {
            request.body().onSuccess(body -> clientSecret(request, body));
        } else if (path.startsWith("/_fake/calls/") && path.endsWith("/client")) {
            String id = path.substring("/_fake/calls/".length(), path.length() - "/client".length());
            request.body().onSuccess(body -> request.response().setStatusCode(browserEvent(id, body.toJsonObject()) ? 200 : 404).end("{}"));
        } else if (path.startsWith("/v1/models/") && request.method().name().equals("GET")) {
            model(request, path.substring("/v1/models/".length()));
        } else if (path.equals("/_fake/reset")) {
            live.reset();
            connections.clear();
            upgrades.set(0);
            droppedUpgrades.set(0);
            rejectKeys = false;
            handshakeStatus = 0;
            silent = false;
            modelsAnswer = "";
            modelRequests.set(0);
            handshakeDelayMs = 0;
            audio = false;
            calls.clear();
            callRequests.clear();
            secretRequests.clear();
            hangups.clear();
            liveRtc.reset();
            request.response().end("{}");
        } else if (path.equals("/_fake/control")) {
            request.body().onSuccess(body -> {
                JsonObject control = body.length() == 0 ? new JsonObject() : body.toJsonObject();
                rejectKeys = control.getBoolean("rejectKeys", rejectKeys);
                handshakeStatus = control.getInteger("handshakeStatus", handshakeStatus);
                silent = control.getBoolean("silent", silent);
                modelsAnswer = control.getString("modelsAnswer", modelsAnswer);
                handshakeDelayMs = control.getInteger("handshakeDelayMs", handshakeDelayMs);
                audio = control.getBoolean("audio", audio);
                if (control.containsKey("peerUrl")) {
                    peerUrl = control.getString("peerUrl");
                }
                request.response().end("{}");
            });
        } else if (path.equals("/_fake/received")) {
            request.response().putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("upgrades", upgrades.get()).put("modelRequests", modelRequests.get())
                            .put("droppedUpgrades", droppedUpgrades.get())
                            .put("connections", new JsonArray(List.copyOf(connections))).put("calls", new JsonArray(List.copyOf(callRequests)))
                            .put("clientSecrets", new JsonArray(List.copyOf(secretRequests))).put("hangups", new JsonArray(List.copyOf(hangups)))
                            .encode());
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    private boolean authorized(HttpServerRequest request) {
        return !rejectKeys && ("Bearer " + apiKey).equals(request.getHeader("Authorization"));
    }

    /** OpenAI's 401 quotes a fragment of the presented key: the gateway must never log or forward this message. */
    private static String incorrectKeyMessage(String authorization) {
        String key = authorization == null ? "" : authorization.replaceFirst("^Bearer ", "");
        String tail = key.length() > 4 ? key.substring(key.length() - 4) : key;
        return "Incorrect API key provided: sk-...." + tail + ". You can find your API key at https://platform.openai.com/account/api-keys.";
    }

    private void model(HttpServerRequest request, String id) {
        modelRequests.incrementAndGet();
        request.response().putHeader("Content-Type", "application/json");
        if ("missing-scope".equals(modelsAnswer)) {
            request.response().setStatusCode(401).end(new JsonObject().put("error", new JsonObject()
                    .put("message", "You have insufficient permissions for this operation. Missing scopes: api.model.read. Check that you "
                            + "have the correct role in your organization, and if you're using a restricted API key, that it has the necessary scopes.")
                    .put("type", "invalid_request_error").putNull("param").putNull("code")).encode());
        } else if ("insufficient-quota".equals(modelsAnswer)) {
            request.response().setStatusCode(429).end(new JsonObject().put("error", new JsonObject()
                    .put("message", "You exceeded your current quota, please check your plan and billing details.")
                    .put("type", "insufficient_quota").putNull("param").put("code", "insufficient_quota")).encode());
        } else if (!authorized(request)) {
            request.response().setStatusCode(401).end(new JsonObject().put("error", new JsonObject()
                    .put("message", incorrectKeyMessage(request.getHeader("Authorization"))).put("type", "invalid_request_error")
                    .putNull("param").put("code", "invalid_api_key")).encode());
        } else if (!models.contains(id)) {
            request.response().setStatusCode(404).end(new JsonObject().put("error", new JsonObject()
                    .put("message", "The model `" + id + "` does not exist or you do not have access to it.")
                    .put("type", "invalid_request_error").putNull("param").put("code", "model_not_found")).encode());
        } else {
            request.response().end(new JsonObject().put("id", id).put("object", "model").put("created", 1756000000).put("owned_by", "system").encode());
        }
    }

    private void realtime(HttpServerRequest request) {
        upgrades.incrementAndGet();
        if (handshakeDelayMs > 0) {
            request.pause();
            vertx.setTimer(handshakeDelayMs, t -> {
                request.resume();
                upgrade(request);
            });
        } else {
            upgrade(request);
        }
    }

    private void upgrade(HttpServerRequest request) {
        JsonObject record = new JsonObject().put("path", request.path()).put("query", request.query())
                .put("messages", new JsonArray()).put("binaryFrames", new JsonArray()).put("closed", false);
        JsonObject headers = new JsonObject();
        request.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
        record.put("headers", headers);
        connections.add(record);
        if (handshakeStatus > 0) {
            record.put("closed", true).put("refusedWith", handshakeStatus);
            request.response().setStatusCode(handshakeStatus).putHeader("Content-Type", "application/json")
                    .end("{\"error\":{\"message\":\"refused by the fake\",\"type\":\"invalid_request_error\",\"code\":null,\"param\":null}}");
            return;
        }
        boolean authorized = authorized(request);
        String callId = request.getParam("call_id");
        FakeCall call = callId == null ? null : calls.get(callId);
        if (callId != null && authorized && call == null) {
            // OpenAI's answer to a sideband for a call it does not know (or an ek_ instead of the standard key).
            record.put("closed", true).put("refusedWith", 404);
            request.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", error("call_id_not_found", "Call not found.")).encode());
            return;
        }
        String authorization = request.getHeader("Authorization");
        boolean beta = request.getHeader("OpenAI-Beta") != null;
        String model = request.getParam("model");
        boolean transcription = "transcription".equals(request.getParam("intent"));
        request.toWebSocket().onSuccess(ws -> {
            ws.closeHandler(v -> {
                synchronized (record) {
                    record.put("closed", true).put("closeCode", ws.closeStatusCode() == null ? null : (int) ws.closeStatusCode())
                            .put("closeReason", ws.closeReason());
                }
            });
            if (!authorized) {
                fatal(ws, "invalid_api_key", incorrectKeyMessage(authorization), 3000);
                return;
            }
            if (beta) {
                fatal(ws, "beta_api_shape_disabled", "The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.", 4000);
                return;
            }
            JsonObject session = call != null ? call.session() : newSession(transcription ? "transcription" : "realtime", model);
            if (call != null) {
                call.sidebands().add(ws);
                ws.closeHandler(v -> {
                    call.sidebands().remove(ws);
                    synchronized (record) {
                        record.put("closed", true).put("closeCode", ws.closeStatusCode() == null ? null : (int) ws.closeStatusCode())
                                .put("closeReason", ws.closeReason());
                    }
                });
            }
            record.put("sessionId", session.getString("id"));
            ws.textMessageHandler(text -> onText(ws, record, session, text));
            ws.binaryMessageHandler(data -> {
                synchronized (record) {
                    record.getJsonArray("binaryFrames").add(data.length());
                }
                if (data.length() > 0 && data.getByte(0) == '{') {
                    onText(ws, record, session, data.toString()); // an event in a binary frame is still an event
                } else {
                    ws.writeBinaryMessage(data);
                }
            });
            if (!silent) {
                send(ws, "session.created", new JsonObject().put("session", copy(session)));
            }
        });
    }

    private JsonObject newSession(String type, String model) {
        return new JsonObject().put("object", "realtime.session").put("id", "sess_fake_" + sessions.incrementAndGet())
                .put("type", type).put("model", model).put("instructions", "")
                .put("output_modalities", new JsonArray().add("audio")).put("tools", new JsonArray()).put("tool_choice", "auto");
    }

    private static JsonObject copy(JsonObject session) {
        synchronized (session) {
            return session.copy();
        }
    }

    private static final String ICE_AND_DTLS = String.join("\r\n", "c=IN IP4 0.0.0.0", "a=ice-ufrag:fakeUfrag",
            "a=ice-pwd:fakeIcePasswordFakeIcePassword", "a=fingerprint:sha-256 "
                    + "8B:2E:F1:0E:5B:6C:4B:6C:AD:AC:5C:C4:49:0D:86:8A:29:A1:86:65:1D:3F:2C:8E:4B:AF:C7:1A:4D:96:37:AB",
            "a=setup:passive", "");

    /**
     * The fake's SDP answer to an offer, as OpenAI's media server would shape it (ICE-lite, passive DTLS): one answer
     * m-section per offered one, with its mid, opus for audio and SCTP for the data channel, so that a browser's
     * {@code setRemoteDescription} accepts it. Media never connects (there is no media server behind it).
     */
    public static String answerFor(String offer) {
        List<String> lines = offer.lines().toList();
        List<String> mids = new ArrayList<>();
        StringBuilder sections = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("m=")) {
                continue;
            }
            String[] m = lines.get(i).substring(2).split(" ");
            String mid = String.valueOf(mids.size());
            String opus = m.length > 3 ? m[3] : "111";
            for (int j = i + 1; j < lines.size() && !lines.get(j).startsWith("m="); j++) {
                if (lines.get(j).startsWith("a=mid:")) {
                    mid = lines.get(j).substring("a=mid:".length());
                }
                Matcher rtpmap = Pattern.compile("a=rtpmap:([0-9]+) opus/48000/2").matcher(lines.get(j));
                if (rtpmap.matches()) {
                    opus = rtpmap.group(1);
                }
            }
            mids.add(mid);
            if (m[0].equals("application")) {
                sections.append("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n").append(ICE_AND_DTLS)
                        .append("a=mid:").append(mid).append("\r\na=sctp-port:5000\r\n");
            } else {
                sections.append("m=").append(m[0]).append(" 9 UDP/TLS/RTP/SAVPF ").append(opus).append("\r\n").append(ICE_AND_DTLS)
                        .append("a=mid:").append(mid).append("\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:").append(opus)
                        .append(" opus/48000/2\r\n");
            }
        }
        return "v=0\r\no=- 4227147428 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-lite\r\na=group:BUNDLE " + String.join(" ", mids)
                + "\r\na=msid-semantic: WMS *\r\n" + sections;
    }

    /**
     * {@code POST /v1/realtime/calls} with the standard key: the multipart form of OpenAI's unified interface
     * ({@code sdp} as application/sdp, {@code session} as application/json). {@code ?model=} gets OpenAI's empty 400.
     */
    private void call(HttpServerRequest request, Buffer body) {
        JsonObject record = new JsonObject().put("query", request.query()).put("contentType", request.getHeader("Content-Type"));
        JsonObject headers = new JsonObject();
        request.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
        record.put("headers", headers);
        callRequests.add(record);
        HttpServerResponse response = request.response();
        if (!authorized(request)) {
            record.put("answered", 401);
            response.setStatusCode(401).putHeader("Content-Type", "application/json").end(new JsonObject().put("error", new JsonObject()
                    .put("message", incorrectKeyMessage(request.getHeader("Authorization"))).put("type", "invalid_request_error")
                    .putNull("param").put("code", "invalid_api_key")).encode());
            return;
        }
        if (request.getParam("model") != null) {
            record.put("answered", 400);
            response.setStatusCode(400).end();
            return;
        }
        JsonObject parts = multipart(request.getHeader("Content-Type"), body);
        record.put("parts", parts);
        JsonObject sdp = parts == null ? null : parts.getJsonObject("sdp");
        JsonObject sessionPart = parts == null ? null : parts.getJsonObject("session");
        JsonObject session = null;
        try {
            session = sessionPart == null ? null : new JsonObject(sessionPart.getString("body"));
        } catch (RuntimeException e) {
            // reported below
        }
        String problem = parts == null ? "expected multipart/form-data with the parts sdp and session"
                : sdp == null || !"application/sdp".equals(sdp.getString("contentType")) ? "the sdp part (application/sdp) is missing"
                : !sdp.getString("body").startsWith("v=0") ? "the sdp part is not an SDP offer"
                : sessionPart == null || !"application/json".equals(sessionPart.getString("contentType")) ? "the session part (application/json) is missing"
                : session == null ? "the session part is not JSON"
                : !"realtime".equals(session.getString("type")) ? "session.type must be realtime"
                : !models.contains(session.getString("model", "")) ? "unknown model"
                : null;
        if (problem != null) {
            record.put("answered", 400);
            response.setStatusCode(400).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", error("invalid_request", problem)).encode());
            return;
        }
        String id = "rtc_fake_" + callIds.incrementAndGet();
        JsonObject callSession = newSession("realtime", session.getString("model"));
        session.forEach(e -> callSession.put(e.getKey(), e.getValue()));
        calls.put(id, new FakeCall(id, callSession, new CopyOnWriteArrayList<>()));
        String peer = peerUrl;
        if (peer == null) {
            record.put("answered", 201).put("callId", id);
            response.setStatusCode(201).putHeader("Content-Type", "application/sdp").putHeader("Location", "/v1/realtime/calls/" + id)
                    .end(answerFor(sdp.getString("body")));
            return;
        }
        // A real peer answers: the browser's data channel then opens with it and carries the call's session.created.
        JsonObject offer = new JsonObject().put("callId", id).put("sdp", sdp.getString("body")).put("session", copy(callSession));
        peers.request(HttpMethod.POST, URI.create(peer).getPort(), "127.0.0.1", "/answer")
                .compose(peerRequest -> peerRequest.send(offer.encode()))
                .compose(peerResponse -> peerResponse.body().map(answer -> peerResponse.statusCode() == 200 ? answer.toString() : null))
                .onComplete(result -> {
                    if (result.succeeded() && result.result() != null) {
                        record.put("answered", 201).put("callId", id).put("peer", true);
                        response.setStatusCode(201).putHeader("Content-Type", "application/sdp").putHeader("Location", "/v1/realtime/calls/" + id)
                                .end(result.result());
                    } else {
                        record.put("answered", 500);
                        response.setStatusCode(500).putHeader("Content-Type", "application/json").end(new JsonObject()
                                .put("error", error("server_error", "the test's WebRTC peer did not answer the offer")).encode());
                    }
                });
    }

    /** The parts of a multipart/form-data body: {@code {name: {contentType, body}}}; null when it is not one. */
    private static JsonObject multipart(String contentType, Buffer body) {
        if (contentType == null || !contentType.startsWith("multipart/form-data") || !contentType.contains("boundary=")) {
            return null;
        }
        String boundary = contentType.substring(contentType.indexOf("boundary=") + "boundary=".length()).replace("\"", "").trim();
        JsonObject parts = new JsonObject();
        for (String chunk : body.toString().split("--" + Pattern.quote(boundary))) {
            int split = chunk.indexOf("\r\n\r\n");
            if (split < 0 || chunk.startsWith("--")) {
                continue;
            }
            String head = chunk.substring(0, split);
            String content = chunk.substring(split + 4);
            content = content.endsWith("\r\n") ? content.substring(0, content.length() - 2) : content;
            Matcher name = Pattern.compile("name=\"([^\"]+)\"").matcher(head);
            Matcher type = Pattern.compile("(?i)content-type:\\s*([^\r\n;]+)").matcher(head);
            if (name.find()) {
                parts.put(name.group(1), new JsonObject().put("contentType", type.find() ? type.group(1).trim() : null).put("body", content));
            }
        }
        return parts;
    }

    /** {@code POST /v1/realtime/calls/{id}/hangup}: ends the call, closing its sidebands (1000). */
    private void hangup(HttpServerRequest request, String id) {
        hangups.add(id);
        if (!authorized(request)) {
            request.response().setStatusCode(401).end();
            return;
        }
        FakeCall call = calls.remove(id);
        if (call == null) {
            request.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", error("call_id_not_found", "Call not found.")).encode());
            return;
        }
        call.sidebands().forEach(ws -> ws.close((short) 1000, "call ended"));
        request.response().setStatusCode(200).putHeader("Content-Type", "application/json").end("{}");
    }

    /**
     * What the browser would send over the call's data channel ({@code POST /_fake/calls/{id}/client}): a
     * {@code session.update} changes the call's session and every sideband gets {@code session.updated}; a
     * {@code response.create} runs a response (with usage) that every sideband sees; {@code fake.transcription} is the
     * transcription of the browser's speech (7 input, 3 output, 10 total tokens); {@code fake.hangup} ends the call
     * as the browser closing its peer connection would. False when the call is unknown.
     */
    private boolean browserEvent(String id, JsonObject event) {
        FakeCall call = calls.get(id);
        if (call == null) {
            return false;
        }
        switch (event.getString("type", "")) {
            case "session.update" -> {
                synchronized (call.session()) {
                    event.getJsonObject("session", new JsonObject()).forEach(e -> call.session().put(e.getKey(), e.getValue()));
                }
                call.sidebands().forEach(ws -> send(ws, "session.updated", new JsonObject().put("session", copy(call.session()))));
            }
            case "response.create" -> call.sidebands().forEach(FakeOpenAiUpstream::respond);
            case "fake.transcription" -> call.sidebands().forEach(ws -> send(ws, "conversation.item.input_audio_transcription.completed",
                    new JsonObject().put("item_id", "item_fake").put("content_index", 0).put("transcript", "Hello.")
                            .put("usage", new JsonObject().put("type", "tokens").put("input_tokens", 7).put("output_tokens", 3).put("total_tokens", 10))));
            case "fake.hangup" -> {
                calls.remove(id);
                call.sidebands().forEach(ws -> ws.close((short) 1000, "call ended"));
            }
            default -> {
                // other browser events have no effect the sideband sees
            }
        }
        return true;
    }

    /** {@code POST /v1/realtime/client_secrets}: checks the key and the request, answers OpenAI's shape with an {@code ek_fake_} secret. */
    private void clientSecret(HttpServerRequest request, Buffer body) {
        JsonObject record = new JsonObject();
        JsonObject headers = new JsonObject();
        request.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
        record.put("headers", headers).put("body", body.toString());
        secretRequests.add(record);
        HttpServerResponse response = request.response().putHeader("Content-Type", "application/json");
        if (!authorized(request)) {
            response.setStatusCode(401).end(new JsonObject().put("error", new JsonObject()
                    .put("message", incorrectKeyMessage(request.getHeader("Authorization"))).put("type", "invalid_request_error")
                    .putNull("param").put("code", "invalid_api_key")).encode());
            return;
        }
        JsonObject asked;
        try {
            asked = body.length() == 0 ? new JsonObject() : body.toJsonObject();
        } catch (RuntimeException e) {
            response.setStatusCode(400).end(new JsonObject().put("error", error("invalid_json", "The body is not valid JSON.")).encode());
            return;
        }
        int seconds = asked.getJsonObject("expires_after", new JsonObject()).getInteger("seconds", 600);
        JsonObject session = asked.getJsonObject("session", new JsonObject());
        String type = session.getString("type", "realtime");
        if (seconds < 10 || seconds > 7200 || !(type.equals("realtime") || type.equals("transcription"))
                || type.equals("realtime") && !models.contains(session.getString("model", "gpt-realtime"))) {
            response.setStatusCode(400).end(new JsonObject().put("error", error("invalid_value", "Invalid client secret request.")).encode());
            return;
        }
        JsonObject answered = newSession(type, type.equals("realtime") ? session.getString("model", "gpt-realtime") : null).put("expires_at", 0);
        session.forEach(e -> answered.put(e.getKey(), e.getValue()));
        long expiresAt = System.currentTimeMillis() / 1000 + seconds;
        String value = "ek_fake" + secretIds.incrementAndGet() + "x" + Long.toHexString(System.nanoTime());
        response.setStatusCode(200).end(new JsonObject().put("value", value).put("expires_at", expiresAt).put("session", answered).encode());
    }

    private void onText(ServerWebSocket ws, JsonObject record, JsonObject session, String text) {
        synchronized (record) {
            record.getJsonArray("messages").add(text.length() > MAX_RECORDED_CHARS ? "<" + text.length() + " chars>" : text);
        }
        JsonObject event;
        try {
            event = new JsonObject(text);
        } catch (RuntimeException e) {
            send(ws, "error", new JsonObject().put("error", error("invalid_json", "The event is not valid JSON.")));
            return;
        }
        String type = event.getString("type", "");
        switch (type) {
            case "session.update" -> {
                JsonObject changes = event.getJsonObject("session", new JsonObject());
                synchronized (session) {
                    changes.forEach(e -> session.put(e.getKey(), e.getValue()));
                }
                send(ws, "session.updated", new JsonObject().put("session", copy(session)));
            }
            case "response.create" -> {
                if (audio) {
                    speak(ws, event.getJsonObject("response", new JsonObject()).getValue("metadata"));
                } else {
                    respond(ws);
                }
            }
            case "input_audio_buffer.append" -> {
                int appends;
                synchronized (record) {
                    appends = record.getInteger("audioAppends", 0) + 1;
                    record.put("audioAppends", appends);
                }
                if (audio && appends == APPENDS_BEFORE_REPLY) {
                    speak(ws, null);
                }
            }
            case "fake.echo" -> ws.writeTextMessage(text);
            case "fake.error" -> send(ws, "error", new JsonObject().put("error", event.getJsonObject("error", new JsonObject())));
            case "fake.close" -> ws.close((short) event.getInteger("code", 1000).intValue(), event.getString("reason", ""));
            case "fake.drop" -> drop(ws);
            case "fake.burst" -> {
                for (int i = 0; i < event.getInteger("count", 1); i++) {
                    ws.writeBinaryMessage(Buffer.buffer(new byte[event.getInteger("bytes", 1024)]));
                }
            }
            default -> {
                // Other GA client events (input_audio_buffer.*, conversation.item.*) are accepted silently.
            }
        }
    }

    private static void respond(ServerWebSocket ws) {
        String id = "resp_fake_" + System.nanoTime();
        send(ws, "response.created", new JsonObject().put("response", new JsonObject().put("object", "realtime.response").put("id", id)
                .put("status", "in_progress").put("output", new JsonArray())));
        for (String delta : List.of("Hello", " from", " the fake.")) {
            send(ws, "response.output_text.delta", new JsonObject().put("response_id", id).put("item_id", "item_fake").put("output_index", 0)
                    .put("content_index", 0).put("delta", delta));
        }
        send(ws, "response.output_text.done", new JsonObject().put("response_id", id).put("item_id", "item_fake").put("output_index", 0)
                .put("content_index", 0).put("text", "Hello from the fake."));
        send(ws, "response.done", new JsonObject().put("response", new JsonObject().put("object", "realtime.response").put("id", id)
                .put("status", "completed").put("output", new JsonArray())
                .put("usage", new JsonObject().put("total_tokens", 30).put("input_tokens", 10).put("output_tokens", 20))));
    }

    /** A voice model's answer: one message item with {@link #AUDIO_SECONDS} s of a tone (class Javadoc, <i>Audio</i>). */
    private static void speak(ServerWebSocket ws, Object metadata) {
        String id = "resp_fake_" + System.nanoTime();
        String item = "item_fake_" + System.nanoTime();
        JsonObject response = new JsonObject().put("object", "realtime.response").put("id", id).put("status", "in_progress")
                .put("output", new JsonArray()).put("output_modalities", new JsonArray().add("audio"));
        if (metadata != null) {
            response.put("metadata", metadata);
        }
        send(ws, "response.created", new JsonObject().put("response", response));
        JsonObject part = new JsonObject().put("response_id", id).put("item_id", item).put("output_index", 0).put("content_index", 0);
        send(ws, "response.output_item.added", new JsonObject().put("response_id", id).put("output_index", 0).put("item",
                new JsonObject().put("id", item).put("object", "realtime.item").put("type", "message").put("role", "assistant")
                        .put("status", "in_progress").put("content", new JsonArray())));
        send(ws, "response.content_part.added", part.copy().put("part", new JsonObject().put("type", "audio").put("transcript", "")));
        int chunk = AUDIO_RATE / 10;
        int chunks = (int) Math.round(AUDIO_SECONDS * 10);
        for (int c = 0; c < chunks; c++) {
            byte[] pcm = new byte[chunk * 2];
            for (int i = 0; i < chunk; i++) {
                short sample = (short) (Math.sin(2 * Math.PI * 440 * (c * chunk + i) / AUDIO_RATE) * 8000);
                pcm[2 * i] = (byte) sample;
                pcm[2 * i + 1] = (byte) (sample >> 8);
            }
            send(ws, "response.output_audio.delta", part.copy().put("delta", Base64.getEncoder().encodeToString(pcm)));
        }
        send(ws, "response.output_audio_transcript.delta", part.copy().put("delta", "Hello from the fake."));
        send(ws, "response.output_audio.done", part.copy());
        send(ws, "response.output_audio_transcript.done", part.copy().put("transcript", "Hello from the fake."));
        JsonObject content = new JsonObject().put("type", "output_audio").put("transcript", "Hello from the fake.");
        send(ws, "response.content_part.done", part.copy().put("part", new JsonObject().put("type", "audio").put("transcript", "Hello from the fake.")));
        JsonObject done = new JsonObject().put("id", item).put("object", "realtime.item").put("type", "message").put("role", "assistant")
                .put("status", "completed").put("content", new JsonArray().add(content));
        send(ws, "response.output_item.done", new JsonObject().put("response_id", id).put("output_index", 0).put("item", done));
        send(ws, "response.done", new JsonObject().put("response", response.copy().put("status", "completed")
                .put("output", new JsonArray().add(done.copy()))
                .put("usage", new JsonObject().put("total_tokens", 30).put("input_tokens", 10).put("output_tokens", 20))));
    }

    private static void fatal(ServerWebSocket ws, String code, String message, int closeCode) {
        send(ws, "error", new JsonObject().put("error", error(code, message)));
        ws.close((short) closeCode, "invalid_request_error." + code);
    }

    private static JsonObject error(String code, String message) {
        return new JsonObject().put("type", "invalid_request_error").put("code", code).put("message", message).putNull("param").putNull("event_id");
    }

    private static void send(ServerWebSocket ws, String type, JsonObject body) {
        JsonObject event = new JsonObject().put("type", type).put("event_id", "event_fake_" + System.nanoTime());
        body.forEach(e -> event.put(e.getKey(), e.getValue()));
        ws.writeTextMessage(event.encode());
    }

    /** Closes the TCP connection without a close frame, as a crashed or cut-off server would. */
    public static void drop(Object webSocket) {
        try {
            for (Class<?> c = webSocket.getClass(); c != null; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (WebSocketBase.class.isAssignableFrom(f.getType())) {
                        // a client-side wrapper (ClientWebSocketImpl): drop its delegate
                        f.setAccessible(true);
                        Object delegate = f.get(webSocket);
                        if (delegate != null && delegate != webSocket) {
                            drop(delegate);
                            return;
                        }
                    }
                    if (f.getName().equals("chctx")) {
                        f.setAccessible(true);
                        // Below the pipeline: a plain close() lets a handler send a 1000 close frame first.
                        Channel channel = ((ChannelHandlerContext) f.get(webSocket)).channel();
                        channel.eventLoop().execute(() -> channel.unsafe().close(channel.voidPromise()));
                        return;
                    }
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no channel found on " + webSocket.getClass());
    }

    /** The control API of the running fake, found through the test's config. */
    public static Control control() {
        return new Control(ConfigProvider.getConfig().getValue("fake.openai.control-url", String.class));
    }

    /**
     * Starts a fake outside Quarkus, for tests that launch the packaged jar ({@link GatewayProcess}): the jar gets
     * {@link Standalone#baseUrl()} as OPENAI_BASE_URL and {@link #API_KEY} as OPENAI_API_KEY.
     */
    public static Standalone standalone() {
        return standalone(null);
    }

    /**
     * {@link #standalone()} serving the API over TLS ({@code https://127.0.0.1:<port>/v1}, and so {@code wss://}) with
     * {@code tls}'s self-signed certificate: the gateway must trust {@link SelfSignedTls#trustStore()}.
     */
    public static Standalone standalone(SelfSignedTls tls) {
        FakeOpenAiUpstream fake = new FakeOpenAiUpstream();
        fake.tls = tls;
        fake.init(Map.of());
        Map<String, String> config = fake.start();
        return new Standalone(fake, config.get("gateway.openai.base-url"), new Control(config.get("fake.openai.control-url")));
    }

    /** A fake started by {@link #standalone()}: its OpenAI base URL ({@code http://127.0.0.1:<port>/v1}) and its control. */
    public record Standalone(FakeOpenAiUpstream fake, String baseUrl, Control control) implements AutoCloseable {
        @Override
        public void close() {
            fake.stop();
        }
    }

    /** Plain-HTTP control of the fake (see the class Javadoc). */
    public record Control(String url) {

        /** HTTP/1.1: the default (HTTP/2) would send {@code Upgrade: h2c}, which the fake drops. */
        private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        public void reset() {
            post("/reset", "{}");
        }

        /** Every key presented from now on is answered as a bad key (error event + close 3000). */
        public void rejectKeys(boolean reject) {
            post("/control", new JsonObject().put("rejectKeys", reject).encode());
        }

        /** Refuse WebSocket upgrades with this HTTP status (0 = accept). */
        public void handshakeStatus(int status) {
            post("/control", new JsonObject().put("handshakeStatus", status).encode());
        }

        /** Answer WebSocket upgrades this much later (0 = at once). */
        public void handshakeDelayMs(int millis) {
            post("/control", new JsonObject().put("handshakeDelayMs", millis).encode());
        }

        /**
         * Calls are answered by this real WebRTC peer ({@link WebRtcPeer#url()}) from now on, reset or not, instead of
         * the canned answer; null: canned again.
         */
        public void usePeer(String peerUrl) {
            post("/control", new JsonObject().put("peerUrl", peerUrl).encode());
        }

        /** Answer like a voice model (audio responses, one per connection that streams a microphone; class Javadoc). */
        public void audio(boolean on) {
            post("/control", new JsonObject().put("audio", on).encode());
        }

        /** Don't send session.created on open. */
        public void silent(boolean silent) {
            post("/control", new JsonObject().put("silent", silent).encode());
        }

        /** How {@code GET /v1/models/{id}} answers: {@code ""} (normally), {@code missing-scope}, {@code insufficient-quota}. */
        public void modelsAnswer(String answer) {
            post("/control", new JsonObject().put("modelsAnswer", answer).encode());
        }

        /** {@code GET /v1/models/{id}} requests seen. */
        public int modelRequests() {
            return received().getInteger("modelRequests");
        }

        /** {@code {"upgrades":N,"modelRequests":N,"connections":[…]}} */
        public JsonObject received() {
            return new JsonObject(call(HttpRequest.newBuilder(URI.create(url + "/received")).GET().build()));
        }

        /** The recorded connections, oldest first. */
        public List<JsonObject> connections() {
            JsonArray all = received().getJsonArray("connections");
            return all.stream().map(JsonObject.class::cast).toList();
        }

        /** {@code POST /v1/realtime/calls} requests, oldest first: {@code {query, contentType, headers, parts:{sdp|session:{contentType,body}}, answered, callId}}. */
        public List<JsonObject> calls() {
            return received().getJsonArray("calls").stream().map(JsonObject.class::cast).toList();
        }

        /** {@code POST /v1/realtime/client_secrets} requests, oldest first: {@code {headers, body}}. */
        public List<JsonObject> clientSecrets() {
            return received().getJsonArray("clientSecrets").stream().map(JsonObject.class::cast).toList();
        }

        /** Call ids hung up through {@code POST /v1/realtime/calls/{id}/hangup}, in order. */
        public List<String> hangups() {
            return received().getJsonArray("hangups").stream().map(String.class::cast).toList();
        }

        /** The browser of call {@code callId} sends {@code event} over its data channel (see the class Javadoc). */
        public void browserSends(String callId, JsonObject event) {
            post("/calls/" + callId + "/client", event.encode());
        }

        /** Requests dropped for an {@code Upgrade} header on a non-WebSocket path (the JDK client's h2c upgrade). */
        public int droppedUpgrades() {
            return received().getInteger("droppedUpgrades");
        }

        /** WebSocket upgrade attempts seen (accepted or not). */
        public int upgrades() {
            return received().getInteger("upgrades");
        }

        private void post(String path, String body) {
            call(HttpRequest.newBuilder(URI.create(url + path)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
        }

        private static String call(HttpRequest request) {
            try {
                return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
            } catch (Exception e) {
                throw new IllegalStateException("fake OpenAI control call failed: " + request.uri(), e);
            }
        }
    }

}
