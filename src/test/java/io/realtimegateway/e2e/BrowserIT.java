package io.realtimegateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.realtimegateway.testing.FakeLiveWebRtc;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.GatewayProcess;
import io.realtimegateway.testing.ProdEnv;
import io.realtimegateway.testing.RelayJar;
import io.realtimegateway.testing.Secrets;
import io.realtimegateway.testing.SelfSignedTls;
import io.realtimegateway.testing.WebRtcPeer;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonObject;

/**
 * Browser frontends for real: Debian's Chromium (playwright-core) runs pages built from livekit-client, openai-node
 * and @openai/agents-realtime, served from an origin of their own, against the packaged gateway (api-key mode,
 * GATEWAY_CORS_ORIGINS = the pages' origin, TLS too, since openai-node always dials wss://), a real livekit-server
 * v1.13.5 and the fake OpenAI upstream, whose WebRTC calls are answered by a real peer (werift, {@link WebRtcPeer}).
 * Every fetch and upgrade is cross-origin, as in production. The console (f) is the gateway's own page, on its
 * management port.
 */
class BrowserIT {

    private static final String MODEL = "gpt-realtime";

    private static BrowserDriver browser;
    private static LiveKitServer livekit;
    private static RelayJar jar;
    private static FakeOpenAiUpstream.Control fake;
    private static WebRtcPeer peer;
    private static GatewayProcess gateway;
    private static String callerKey;
    private static String http;
    private static String https;

    @BeforeAll
    static void start() {
        browser = BrowserDriver.start();
        livekit = LiveKitServer.start(LiveKitServer.generatedKeys(1));
        callerKey = Secrets.random(40);
        browser.secrets(callerKey, livekit.secretOf(livekit.firstKey()));
        SelfSignedTls tls = SelfSignedTls.generate();
        jar = RelayJar.start(env -> tls.applyTo(env.withoutLiveKitKeys())
                .with("LIVEKIT_URL", livekit.wsUrl())
                .with("LIVEKIT_CONFIG_FILE", livekit.configFile().toString())
                .with("GATEWAY_AUTH_API_KEYS", callerKey)
                .with("GATEWAY_REALTIME_TICKET_TTL", "6s")
                .with("GATEWAY_CORS_ORIGINS", browser.appOrigin()));
        fake = jar.fake();
        peer = WebRtcPeer.start();
        fake.usePeer(peer.url());
        gateway = jar.gateway();
        http = gateway.awaitListening();
        https = gateway.awaitListeningTls();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] { jar, browser, livekit, peer }) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
        if (gateway != null) {
            assertThat(gateway.output()).doesNotContain(callerKey, FakeOpenAiUpstream.API_KEY);
        }
    }

    private static Map<String, Object> bearer() {
        return Map.of("Authorization", "Bearer " + callerKey);
    }

    /** (a) TokenSource.endpoint cross-origin -> room.connect to livekit-server -> publish the fake microphone; a second page receives it. */
    @Test
    void livekitClientJoinsPublishesAndIsReceived() {
        String room = "browser-a-" + Secrets.random(6);
        String alice = "alice-" + Secrets.random(4);
        String bob = "bob-" + Secrets.random(4);
        browser.runCase("a-livekit-client", List.of("a-publisher", "a-subscriber"), () -> {
            browser.open("a-publisher", browser.appOrigin(), "livekit", "a-livekit-client");
            browser.open("a-subscriber", browser.appOrigin(), "livekit", "a-livekit-client");
            Map<String, Object> join = Map.of("tokenUrl", http + "/api/livekit/token", "headers", bearer(), "roomName", room);
            JsonNode published = browser.call("a-publisher", "join", with(join, "identity", alice, "publish", true), 60);
            assertThat(published.path("identity").asText()).isEqualTo(alice);
            assertThat(published.path("room").asText()).isEqualTo(room);
            assertThat(published.path("published").toString()).contains("microphone");
            browser.call("a-subscriber", "join", with(join, "identity", bob, "publish", false), 60);
            JsonNode received = browser.call("a-subscriber", "awaitSubscribed", Map.of("from", alice, "timeoutMs", 30_000), 45);
            assertThat(received.path("kind").asText()).isEqualTo("audio");
            assertThat(received.path("source").asText()).isEqualTo("microphone");

            // The server's own view (Twirp ListParticipants): alice is in the room with a published microphone track.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Map<String, List<String>> participants = livekit.api().publishedSources(room);
                assertThat(participants).containsKeys(alice, bob);
                assertThat(participants.get(alice)).contains("MICROPHONE");
            });
            // This gateway is in api-key mode with origins set: its report says the keys would sit in browsers.
            assertThat(gateway.output()).contains("would carry a gateway API key");
        });
    }

    /** (b) openai-node's OpenAIRealtimeWebSocket in the page, baseURL = the gateway, apiKey = a ticket fetched cross-origin. */
    @Test
    void openaiNodeInTheBrowserCompletesAResponseThroughTheRelay() {
        fake.reset();
        browser.runCase("b-openai-node", List.of("b-openai"), () -> {
            browser.open("b-openai", browser.appOrigin(), "openai", "b-openai-node");
            JsonNode result = browser.call("b-openai", "converse", Map.of("ticketUrl", http + "/api/realtime/client-secret",
                    "headers", bearer(), "baseURL", https + "/v1", "model", MODEL, "timeoutMs", 30_000), 45);
            assertThat(result.path("status").asText()).isEqualTo("completed");
            assertThat(result.path("url").asText()).isEqualTo(https.replace("https://", "wss://") + "/v1/realtime");
            assertThat(result.path("events").toString()).contains("session.created", "session.updated", "response.done");
            assertUpstreamSawTheServerKeyOnly();
        });
    }

    /** (c) @openai/agents-realtime: a RealtimeSession on the WebSocket transport, url = the gateway, apiKey = the ticket. */
    @Test
    void agentsRealtimeSessionGetsTheAssistantsReply() {
        fake.reset();
        browser.runCase("c-agents-realtime", List.of("c-agents"), () -> {
            browser.open("c-agents", browser.appOrigin(), "agents", "c-agents-realtime");
            JsonNode result = browser.call("c-agents", "converse", Map.of("ticketUrl", http + "/api/realtime/client-secret",
                    "headers", bearer(), "url", https.replace("https://", "wss://") + "/v1/realtime?model=" + MODEL, "model", MODEL,
                    "message", "Hello from the browser", "timeoutMs", 30_000), 45);
            assertThat(result.path("reply").asText()).isEqualTo("Hello from the fake.");
            List<JsonObject> connections = fake.connections();
            assertThat(connections).hasSize(1);
            assertThat(connections.get(0).getJsonArray("messages").encode()).contains("conversation.item.create", "Hello from the browser");
            assertUpstreamSawTheServerKeyOnly();
        });
    }

    /**
     * (e) @openai/agents-realtime's OpenAIRealtimeWebRTC, baseUrl = the gateway's /v1/realtime/calls, apiKey = a ticket:
     * Chromium's own offer goes through the gateway to OpenAI (the fake) as the multipart call with the server key and
     * the server's session; the answer, made by a real WebRTC peer (werift), becomes the page's remote description, the
     * data channel opens with that peer and carries {@code session.created} (the session the gateway's policy wrote),
     * and {@code connect()} resolves once the peer acknowledged the SDK's {@code session.update}.
     */
    @Test
    void agentsRealtimeWebRtcCompletesTheSdpExchangeThroughTheGateway() {
        fake.reset();
        browser.runCase("e-agents-webrtc", List.of("e-webrtc"), () -> {
            browser.open("e-webrtc", browser.appOrigin(), "webrtc", "e-agents-webrtc");
            JsonNode result = browser.call("e-webrtc", "exchange", Map.of("ticketUrl", http + "/api/realtime/client-secret",
                    "headers", bearer(), "baseUrl", http + "/v1/realtime/calls", "timeoutMs", 20_000), 45);
            assertThat(result.path("failure").isNull()).as("connect() failed: %s", result).isTrue();
            assertThat(result.path("callId").asText()).matches("rtc_fake_[0-9]+");
            assertThat(result.path("remoteType").asText()).as("the answer was set as the remote description").isEqualTo("answer");
            assertThat(result.path("signalingState").asText()).isEqualTo("stable");
            assertThat(result.path("dataChannel").asText()).as("the data channel opened with the peer: %s", result).isEqualTo("open");
            assertThat(result.path("connected").asBoolean()).as("connect() resolved: %s", result).isTrue();
            assertThat(result.path("events").get(0).asText()).isEqualTo("session.created");
            assertThat(result.path("events").toString()).contains("session.updated");
            assertThat(result.path("session").path("model").asText()).isEqualTo(MODEL);
            assertThat(result.path("session").path("type").asText()).isEqualTo("realtime");
            JsonObject peerCall = peer.calls().getJsonObject(result.path("callId").asText());
            assertThat(peerCall).as("the peer answered this call").isNotNull();
            assertThat(peerCall.getBoolean("opened")).isTrue();
            assertThat(peerCall.getJsonArray("received").getList()).as("the SDK's own session.update crossed the channel").contains("session.update");

            List<JsonObject> calls = fake.calls();
            assertThat(calls).hasSize(1);
            JsonObject call = calls.get(0);
            assertThat(call.getJsonObject("headers").getString("Authorization")).isEqualTo("Bearer " + FakeOpenAiUpstream.API_KEY);
            assertThat(call.getJsonObject("parts").getJsonObject("sdp").getString("body")).startsWith("v=0").contains("webrtc-datachannel",
                    "m=audio");
            assertThat(new JsonObject(call.getJsonObject("parts").getJsonObject("session").getString("body")))
                    .isEqualTo(new JsonObject().put("type", "realtime").put("model", MODEL));
            assertThat(call.encode()).doesNotContain("ek_");
            assertThat(call.getString("callId")).isEqualTo(result.path("callId").asText());
            assertThat(call.getBoolean("peer")).as("the real peer answered, not the canned SDP").isTrue();
        });
    }

    /** (d) An origin not listed: the token fetch is a CORS error, the relay upgrade a 403 that leaves the ticket usable; expired and replayed tickets: 401. */
    /**
     * (h) GPT-Live over WebRTC, as OpenAI's guide has a browser do it with the gateway as its trusted server: Chromium's
     * own offer (microphone and the {@code oai-events} data channel) in {@code {session, transport:{type:"webrtc",sdp}}}
     * with a {@code live} ticket, cross-origin, to {@code POST /v1/live/sessions}; the gateway creates the session at
     * OpenAI (the fake) with the server key, attaches its sideband, and Chromium accepts the answer. The fake's answer
     * is canned (no media server behind it), so the case ends at the remote description: media and the data channel
     * never open.
     */
    @Test
    void liveWebRtcCompletesTheSdpExchangeThroughTheBroker() {
        fake.reset();
        FakeLiveWebRtc.Control live = new FakeLiveWebRtc.Control(fake.url() + "/live-rtc");
        browser.runCase("h-live-webrtc", List.of("h-live"), () -> {
            browser.open("h-live", browser.appOrigin(), "live", "h-live-webrtc");
            JsonNode result = browser.call("h-live", "liveExchange", Map.of("ticketUrl", http + "/api/realtime/client-secret",
                    "headers", bearer(), "createUrl", http + "/v1/live/sessions", "model", "gpt-live-1"), 45);
            assertThat(result.path("failure").isNull()).as("the exchange failed: %s", result).isTrue();
            assertThat(result.path("status").asInt()).isEqualTo(201);
            assertThat(result.path("sessionId").asText()).matches("live_fake_[0-9]+");
            assertThat(result.path("transportType").asText()).isEqualTo("webrtc");
            assertThat(result.path("remoteType").asText()).as("the answer was set as the remote description").isEqualTo("answer");
            assertThat(result.path("signalingState").asText()).isEqualTo("stable");
            assertThat(result.path("channelLabel").asText()).isEqualTo("oai-events");
            assertThat(result.path("ticketIsEphemeral").asBoolean()).isTrue();

            List<JsonObject> creates = live.creates();
            assertThat(creates).hasSize(1);
            JsonObject create = creates.get(0);
            assertThat(create.getJsonObject("headers").getString("Authorization")).isEqualTo("Bearer " + FakeOpenAiUpstream.API_KEY);
            assertThat(create.getJsonObject("body").getJsonObject("transport").getString("sdp")).startsWith("v=0")
                    .contains("webrtc-datachannel", "m=audio");
            assertThat(create.getJsonObject("body").getJsonObject("session").getString("model")).isEqualTo("gpt-live-1");
            assertThat(create.encode()).doesNotContain("ek_");
            assertThat(live.log()).startsWith("create " + result.path("sessionId").asText(), "attach " + result.path("sessionId").asText());
        });
    }

    @Test
    void refusalsAsABrowserSeesThem() {
        fake.reset();
        browser.runCase("d-refusals", List.of("d-other", "d-app"), () -> {
            browser.open("d-other", browser.otherOrigin(), "probe", "d-refusals");
            browser.open("d-app", browser.appOrigin(), "probe", "d-refusals");

            JsonNode blocked = browser.call("d-other", "fetchJson", Map.of("url", http + "/api/livekit/token", "headers", bearer()), 30);
            assertThat(blocked.path("error").asText()).isEqualTo("TypeError: Failed to fetch");
            assertThat(String.join("\n", browser.console("d-other"))).contains("blocked by CORS policy", "Access-Control-Allow-Origin");
            // The same call from the listed origin works.
            assertThat(browser.call("d-app", "fetchJson", Map.of("url", http + "/api/livekit/token", "headers", bearer()), 30)
                    .path("status").asInt()).isEqualTo(201);

            String relay = http.replace("http://", "ws://") + "/v1/realtime?model=" + MODEL;
            String ticket = ticket();
            JsonNode refused = browser.call("d-other", "openRelay", Map.of("url", relay, "ticket", ticket, "timeoutMs", 15_000), 30);
            assertThat(refused.path("opened").asBoolean()).isFalse();
            assertThat(refused.path("closeCode").asInt()).isEqualTo(1006);
            assertThat(String.join("\n", browser.console("d-other"))).contains("Unexpected response code: 403");
            assertThat(fake.upgrades()).isZero();

            // Refused before redemption: the ticket still opens a session from the listed origin, once.
            JsonNode admitted = browser.call("d-app", "openRelay", Map.of("url", relay, "ticket", ticket, "timeoutMs", 15_000), 30);
            assertThat(admitted.path("firstEvent").asText()).isEqualTo("session.created");
            assertThat(admitted.path("protocol").asText()).isEqualTo("realtime");
            JsonNode replayed = browser.call("d-app", "openRelay", Map.of("url", relay, "ticket", ticket, "timeoutMs", 15_000), 30);
            assertThat(replayed.path("opened").asBoolean()).isFalse();
            assertThat(browser.console("d-app")).anyMatch(BrowserIT::unauthorized);

            String expiring = ticket();
            long consoleLines = browser.console("d-app").size();
            await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(9)).until(() -> true);
            JsonNode expired = browser.call("d-app", "openRelay", Map.of("url", relay, "ticket", expiring, "timeoutMs", 15_000), 30);
            assertThat(expired.path("opened").asBoolean()).isFalse();
            assertThat(browser.console("d-app").stream().skip(consoleLines)).anyMatch(BrowserIT::unauthorized);
            assertThat(fake.upgrades()).isEqualTo(1);
        });
    }

    /**
     * The jwt-mode page: a browser authenticates as its user (a JWT from the app's identity provider, here minted by
     * the test), joins its own room (GATEWAY_TOKEN_JWT_ROOM_TEMPLATE=support-{sub}) and is refused another; the
     * metadata and attributes it sends are dropped.
     */
    @Test
    void jwtUserJoinsItsOwnRoomAndIsRefusedAnother() {
        String jwtSecret = Secrets.random(40);
        String user = "erin" + Secrets.random(4).toLowerCase(java.util.Locale.ROOT);
        ProdEnv env = ProdEnv.valid().relayOff().withoutLiveKitKeys()
                .with("LIVEKIT_URL", livekit.wsUrl())
                .with("LIVEKIT_CONFIG_FILE", livekit.configFile().toString())
                .with("GATEWAY_AUTH_MODE", "jwt")
                .without("GATEWAY_AUTH_API_KEYS")
                .with("GATEWAY_AUTH_JWT_SECRET", jwtSecret)
                .with("GATEWAY_AUTH_JWT_AUDIENCE", "realtime-gateway")
                .with("GATEWAY_AUTH_JWT_ISSUER", "https://idp.example.test")
                .with("GATEWAY_TOKEN_JWT_ROOM_TEMPLATE", "support-{sub}")
                .with("GATEWAY_CORS_ORIGINS", browser.appOrigin());
        try (GatewayProcess jwtGateway = GatewayProcess.start(env)) {
            String base = jwtGateway.awaitListening();
            assertThat(jwtGateway.output()).contains("http.cors-origins").doesNotContain("would carry a gateway API key");
            String userJwt = Jwt.subject(user).issuer("https://idp.example.test").audience("realtime-gateway").expiresAt(java.time.Instant.now().plusSeconds(600))
                    .signWithSecret(jwtSecret);
            browser.secrets(jwtSecret, userJwt);
            Map<String, Object> headers = Map.of("Authorization", "Bearer " + userJwt);
            browser.runCase("jwt-page", List.of("jwt-user"), () -> {
                browser.open("jwt-user", browser.appOrigin(), "livekit", "jwt-page");
                Map<String, Object> own = Map.of("tokenUrl", base + "/api/livekit/token", "headers", headers, "roomName", "support-" + user);
                JsonNode joined = browser.call("jwt-user", "join", with(own, "publish", true), 60);
                assertThat(joined.path("identity").asText()).isEqualTo(user);
                assertThat(joined.path("room").asText()).isEqualTo("support-" + user);
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(livekit.api().publishedSources("support-" + user)).containsKey(user));

                String refused = browser.callFails("jwt-user", "fetchToken",
                        with(own, "roomName", "support-mallory"), 30);
                assertThat(refused).contains("received 403", "room-not-allowed");

                JsonNode claims = browser.call("jwt-user", "fetchToken", with(own, "metadata", "{\"role\":\"admin\"}",
                        "attributes", Map.of("role", "admin")), 30).path("claims");
                assertThat(claims.path("sub").asText()).isEqualTo(user);
                assertThat(claims.path("video").path("room").asText()).isEqualTo("support-" + user);
                assertThat(claims.path("metadata").isNull()).as("client metadata dropped: %s", claims).isTrue();
                assertThat(claims.path("attributes").isNull()).as("client attributes dropped: %s", claims).isTrue();
            });
            assertThat(jwtGateway.output()).doesNotContain(jwtSecret, userJwt);
        }
    }

    /**
     * (f) The console, as an operator opens it: the page on the management port (HTTP Basic with the admin key), its
     * feed on the main port (cross-origin, no GATEWAY_CORS_ORIGINS). A relay session opened by a test client through the
     * fake upstream appears within 1 s and leaves the live table when it closes; the FAIL of a weak LiveKit secret (the
     * preflight not enforced, so the gateway serves) shows its fix; the charts (a point a second here) draw the
     * session's admission and frames; the page logs no error; Tab reaches every control. The screenshot is
     * target/console.png.
     */
    @Test
    void theConsoleShowsSessionsLiveAndAFailWithItsFix() {
        String adminKey = Secrets.random(40);
        // The real livekit-server and one of its API keys, with a (weak) secret it does not know: the try-it join fails.
        try (RelayJar consoleJar = RelayJar.start(env -> env.with("GATEWAY_ADMIN_API_KEYS", adminKey)
                .with("LIVEKIT_URL", livekit.wsUrl())
                .with("LIVEKIT_API_KEY", livekit.firstKey())
                .with("LIVEKIT_API_SECRET", "too-short-" + Secrets.random(6))
                .with("GATEWAY_PREFLIGHT_ENFORCE", "false")
                .with("GATEWAY_CONSOLE_CHART_INTERVAL", "1s"))) {
            GatewayProcess console = consoleJar.gateway();
            browser.secrets(adminKey, consoleJar.env().get("LIVEKIT_API_SECRET"), consoleJar.env().callerKey());
            String page = "f-console";
            browser.runCase("f-console", List.of(page), () -> {
                JsonNode visit = browser.visit(page, console.awaitManagement() + "/console", "admin", adminKey, "f-console");
                assertThat(visit.path("status").asInt()).isEqualTo(200);
                browser.evaluate(page, until("document.getElementById('feed').textContent === 'connected'", 30_000), 40);

                JsonNode fail = browser.evaluate(page, "(() => { const li = document.querySelector('li[data-check=\"livekit.secret.length\"]');"
                        + " const fix = li && li.querySelector('.fix');"
                        + " return { status: li && li.dataset.status, fix: fix && fix.textContent, visible: !!fix && fix.getClientRects().length > 0 }; })()", 10);
                assertThat(fail.path("status").asText()).isEqualTo("FAIL");
                assertThat(fail.path("fix").asText()).startsWith("Fix: ").hasSizeGreaterThan(10);
                assertThat(fail.path("visible").asBoolean()).as("the FAIL's feature is expanded").isTrue();

                // The live table, watched from inside the page: when a session row appears, and when it goes.
                browser.evaluate(page, "(() => { window.watch = {}; const body = document.querySelector('#live tbody');"
                        + " new MutationObserver(() => { const row = body.querySelector('tr[data-session]');"
                        + " if (row && !watch.appeared) { watch.appeared = Date.now(); watch.id = row.dataset.session; }"
                        + " if (watch.appeared && !body.querySelector('tr[data-session=\"' + watch.id + '\"]') && !watch.left) watch.left = Date.now(); })"
                        + ".observe(body, { childList: true, subtree: true }); return true; })()", 10);
                RelayClient relay = RelayClient.open(console.awaitListening(), consoleJar.ticket());
                long opened = System.currentTimeMillis();
                relay.awaitType("session.created");
                long appeared = browser.evaluate(page, until("window.watch.appeared", 15_000) + ".then(() => window.watch.appeared)", 20).asLong();
                System.out.printf("console: the session appeared %d ms after it opened%n", appeared - opened);
                assertThat(appeared - opened).as("the session appeared in the console %d ms after it opened", appeared - opened).isLessThanOrEqualTo(1000);

                relay.close();
                long left = browser.evaluate(page, until("window.watch.left", 15_000) + ".then(() => window.watch.left)", 20).asLong();
                assertThat(left).isGreaterThanOrEqualTo(appeared);
                String id = browser.evaluate(page, "window.watch.id", 10).asText();
                browser.evaluate(page, until("document.querySelector('#closed tr[data-closed=\"" + id + "\"]')", 15_000), 20);
                assertThat(browser.evaluate(page, "document.querySelector('#closed tr[data-closed=\"" + id + "\"]').textContent", 10).asText())
                        .contains("1000");

                // Every control is reachable with Tab (the skip link, re-run, each feature's summary, the try-it buttons).
                JsonNode controls = browser.evaluate(page, "(() => [...document.querySelectorAll("
                        + "'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex=\"-1\"])')]"
                        + ".filter((e) => !e.disabled && e.getClientRects().length > 0)"
                        + ".map((e) => e.id || (e.tagName === 'SUMMARY' && 'feature:' + e.closest('[data-feature]').dataset.feature)"
                        + " || e.getAttribute('href') || e.tagName + ':' + e.textContent.trim().slice(0, 40)))()", 10);
                Set<String> expected = new LinkedHashSet<>();
                controls.forEach(c -> expected.add(c.asText()));
                assertThat(expected).contains("#sessions", "rerun", "try-livekit", "try-relay").anyMatch(c -> c.startsWith("feature:"));
                Set<String> reached = new LinkedHashSet<>();
                for (int i = 0; i < expected.size() + 5 && !reached.containsAll(expected); i++) {
                    String focused = browser.press(page, "Tab");
                    if (focused != null) {
                        reached.add(focused);
                    }
                }
                assertThat(reached).as("reached with Tab").containsAll(expected);

                // Try it, LiveKit: livekit-client joins from the page with a token signed by the wrong secret; the page shows LiveKit's reason.
                int before = browser.console(page).size();
                JsonNode refused = tryLiveKit(page);
                assertThat(refused.path("outcome").asText()).as("try-it LiveKit: %s", refused).isEqualTo("failed");
                assertThat(refused.path("text").asText()).startsWith("failed")
                        .contains("server: " + livekit.wsUrl(), "livekit-client: could not establish signal connection: invalid token",
                                "signature is invalid", "Fix: livekit-server refused the token",
                                "gateway → livekit-server /rtc/validate: FAILED (HTTP 401)")
                        .doesNotContain("eyJhbGci");
                // Chromium's own lines for the refused upgrade and livekit-client's /rtc/validate fetch (401) are expected, nothing else.
                List<String> joinLines = browser.console(page).subList(before, browser.console(page).size());
                assertThat(joinLines).anyMatch(line -> line.startsWith("[error] WebSocket connection to '" + livekit.wsUrl() + "/rtc"));
                assertThat(errors(joinLines).stream().filter(line -> !refusedJoin(line))).as("errors of the failed join beyond the expected").isEmpty();

                // The charts: the session's admission and its frames, drawn as SVG paths with their last values.
                browser.evaluate(page, until("(() => { const n = (c) => Number(document.querySelector('svg[data-chart=\"' + c + '\"]')"
                        + "?.dataset.max || 0); return n('admissions') > 0 && n('frames') > 0"
                        // and a second sample drawn: the native executable is up before the first one (seen in its tier)
                        + " && [...document.querySelectorAll('path[data-series]')].every((p) => Number(p.dataset.points) >= 2); })()", 30_000), 40);
                JsonNode charts = browser.evaluate(page, "[...document.querySelectorAll('figure.chart')].map((f) => ({ id: f.dataset.chart,"
                        + " caption: f.querySelector('figcaption').textContent, legend: f.querySelector('.legend').textContent,"
                        + " ticks: [...f.querySelectorAll('text')].map((t) => t.textContent),"
                        + " paths: [...f.querySelectorAll('path[data-series]')].map((p) => ({ series: p.dataset.series,"
                        + " points: Number(p.dataset.points), segments: (p.getAttribute('d').match(/[ML]/g) || []).length })) }))", 10);
                assertThat(charts.findValuesAsText("id")).containsExactly("sessions", "admissions", "frames", "usage");
                for (JsonNode chart : charts) {
                    assertThat(chart.path("ticks").toString()).as("axis labels of %s", chart).contains("min");
                    assertThat(chart.path("legend").asText()).as("last values of %s", chart).matches("(?s).*: [0-9.]+ .*");
                    for (JsonNode path : chart.path("paths")) {
                        assertThat(path.path("points").asInt()).as("points of %s", chart).isGreaterThanOrEqualTo(2);
                        assertThat(path.path("segments").asInt()).as("the path of %s", chart).isEqualTo(path.path("points").asInt());
                    }
                }
                assertThat(charts.get(2).path("caption").asText()).contains("frames/s");

                List<String> errors = errors(browser.console(page).subList(0, before));
                assertThat(errors).as("the console page's errors").isEmpty();
                String text = browser.evaluate(page, "document.body.innerText", 10).asText();
                assertThat(text).doesNotContain(adminKey, FakeOpenAiUpstream.API_KEY, consoleJar.env().get("LIVEKIT_API_SECRET"));
                browser.evaluate(page, "(() => { document.activeElement.blur(); window.scrollTo(0, 0); return true; })()", 10);
                browser.screenshot(page, E2e.basedir().resolve("target/console.png"));
                assertThat(E2e.basedir().resolve("target/console.png")).isNotEmptyFile();
            });
            assertThat(console.output()).doesNotContain(adminKey);
        }
    }

    /**
     * (g) The console's try-it LiveKit with LiveKit correctly configured (the keys of livekit-server's own livekit.yaml,
     * as for cases a–d, on a plain-HTTP gateway of its own): the page loads the vendored livekit-client on the click
     * (not before), joins the test room on the real livekit-server and shows "connected" with the room, its identity
     * and the server's version; the page logs no error.
     */
    @Test
    void theConsoleTryItJoinsATestRoomWithLivekitClient() {
        String adminKey = Secrets.random(40);
        try (RelayJar consoleJar = RelayJar.start(env -> env.withoutLiveKitKeys()
                .with("LIVEKIT_URL", livekit.wsUrl())
                .with("LIVEKIT_CONFIG_FILE", livekit.configFile().toString())
                .with("GATEWAY_ADMIN_API_KEYS", adminKey))) {
            GatewayProcess console = consoleJar.gateway();
            browser.secrets(adminKey, consoleJar.env().callerKey());
            String page = "g-console";
            browser.runCase("g-console-livekit", List.of(page), () -> {
                assertThat(browser.visit(page, console.awaitManagement() + "/console", "admin", adminKey, "g-console-livekit").path("status").asInt())
                        .isEqualTo(200);
                browser.evaluate(page, until("document.getElementById('feed').textContent === 'connected'", 30_000), 40);
                assertThat(browser.evaluate(page, "typeof window.LivekitClient", 10).asText()).as("livekit-client is not loaded before the click")
                        .isEqualTo("undefined");

                JsonNode joined = tryLiveKit(page);
                assertThat(joined.path("outcome").asText()).as("try-it LiveKit: %s", joined).isEqualTo("ok");
                assertThat(joined.path("text").asText()).startsWith("connected\nroom: console-try\nparticipant: console-")
                        .contains("server: " + livekit.wsUrl(), "key: " + livekit.firstKey(), "livekit-client 2.23.0",
                                "gateway → livekit-server /rtc/validate: would admit")
                        .containsPattern("livekit-server \\d+\\.\\d+\\.\\d+")
                        .doesNotContain("eyJhbGci");
                assertThat(browser.evaluate(page, "window.LivekitClient.version", 10).asText()).isEqualTo("2.23.0");

                assertThat(errors(browser.console(page))).as("the console page's errors").isEmpty();
            });
            assertThat(console.output()).doesNotContain(adminKey).doesNotContain("eyJhbGci");
        }
    }

    /** Clicks the try-it LiveKit button and waits for its outcome: {@code {outcome: ok|failed, text}}. */
    private static JsonNode tryLiveKit(String page) {
        browser.evaluate(page, "(() => { document.getElementById('try-livekit').click(); return true; })()", 10);
        String done = "['ok', 'failed'].includes(document.getElementById('try-livekit-result').dataset.outcome)";
        browser.evaluate(page, until(done, 60_000), 70);
        return browser.evaluate(page, "(() => { const out = document.getElementById('try-livekit-result');"
                + " return { outcome: out.dataset.outcome, text: out.textContent }; })()", 10);
    }

    private static List<String> errors(List<String> consoleLines) {
        return consoleLines.stream().filter(line -> line.startsWith("[error]") || line.startsWith("[pageerror]") || line.startsWith("[requestfailed]")).toList();
    }

    /** Chromium's lines for a join livekit-server refused: the signalling upgrade answered 401, and livekit-client's fetch of /rtc/validate (401). */
    private static boolean refusedJoin(String line) {
        return line.startsWith("[error] WebSocket connection to '" + livekit.wsUrl() + "/rtc") && unauthorized(line)
                || line.equals("[error] Failed to load resource: the server responded with a status of 401 (Unauthorized)");
    }

    /** A page-side promise that resolves once {@code condition} is truthy, or rejects after {@code timeoutMs}. */
    private static String until(String condition, int timeoutMs) {
        return "new Promise((resolve, reject) => { const end = Date.now() + " + timeoutMs + ";"
                + " const poll = () => { try { if (" + condition + ") return resolve(true); } catch (e) { /* not yet */ }"
                + " if (Date.now() > end) return reject(new Error('timed out waiting for: ' + " + jsString(condition) + "));"
                + " setTimeout(poll, 20); }; poll(); })";
    }

    private static String jsString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** A relay session from a plain Java client (java.net.http), as a server-side SDK opens one: the ticket as bearer. */
    private static final class RelayClient implements WebSocket.Listener {
        private final List<String> types = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static RelayClient open(String httpBase, String ticket) {
            RelayClient client = new RelayClient();
            try {
                client.socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + ticket)
                        .buildAsync(URI.create(httpBase.replace("http://", "ws://") + "/v1/realtime?model=" + MODEL), client)
                        .get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("the relay session did not open: " + e, e);
            }
            return client;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                types.add(new JsonObject(partial.toString()).getString("type"));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void awaitType(String type) {
            await().atMost(Duration.ofSeconds(30)).until(() -> types.contains(type));
        }

        void close() {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("the relay session did not close: " + e, e);
            }
        }
    }

    /** Chromium's console line for a refused upgrade answered 401 with {@code WWW-Authenticate: Bearer …}. */
    private static boolean unauthorized(String consoleLine) {
        return consoleLine.contains("WebSocket connection to") && (consoleLine.contains("HTTP Authentication failed")
                || consoleLine.contains("Unexpected response code: 401"));
    }

    /** A ticket fetched server-side (the page on the other origin cannot fetch one). */
    private static String ticket() {
        var response = gateway.postJson("/api/realtime/client-secret", "{}", callerKey);
        assertThat(response.statusCode()).isEqualTo(200);
        String ticket = new JsonObject(response.body()).getString("value");
        browser.secrets(ticket);
        return ticket;
    }

    private static void assertUpstreamSawTheServerKeyOnly() {
        List<JsonObject> connections = fake.connections();
        assertThat(connections).isNotEmpty();
        for (JsonObject connection : connections) {
            assertThat(connection.getJsonObject("headers").getString("Authorization")).isEqualTo("Bearer " + FakeOpenAiUpstream.API_KEY);
            assertThat(connection.encode()).doesNotContain("ek_").doesNotContain("openai-insecure-api-key");
        }
    }

    private static Map<String, Object> with(Map<String, Object> base, Object... pairs) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            copy.put((String) pairs[i], pairs[i + 1]);
        }
        return copy;
    }
}
