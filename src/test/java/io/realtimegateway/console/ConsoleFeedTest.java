package io.realtimegateway.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.realtimegateway.relay.SessionRegistry;
import io.realtimegateway.testing.ClientSockets;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.realtimegateway.testing.Management;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The console feed (websockets-next) and the console API, open as in dev, with the fake OpenAI upstream behind the relay. */
@QuarkusTest
@TestProfile(ConsoleProfile.class)
@WithTestResource(FakeOpenAiUpstream.class)
class ConsoleFeedTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Instance<BasicWebSocketConnector> connectors;

    @Inject
    Vertx vertx;

    @Inject
    SessionRegistry registry;

    @Inject
    ChartSampler charts;

    static String ticket() {
        return Management.given().header("X-Console", "1").post("/console/api/ticket")
                .then().statusCode(200).header("Cache-Control", "no-store")
                .body("ticket", startsWith("ct_")).body("feed_url", containsString(ConsoleFeed.PATH))
                .extract().path("ticket");
    }

    /** The origin of the console page, as a browser on the management interface sends it. */
    static String consoleOrigin() {
        return "http://localhost:" + Management.port();
    }

    private FeedClient feed(String ticket) {
        return new FeedClient(connectors.get(), base, ticket);
    }

    private FeedClient feed(String ticket, String origin) {
        return new FeedClient(connectors.get(), base, ticket, origin);
    }

    static int rejectedStatus(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UpgradeRejectedException rejected) {
                return rejected.getStatus();
            }
        }
        throw new AssertionError("not a rejected upgrade: " + failure);
    }

    // ---- feed authentication

    @Test
    void feedWithoutTicketIsRefusedBeforeTheUpgrade() {
        assertThatThrownBy(() -> feed(null)).satisfies(e -> assertThat(rejectedStatus(e)).isEqualTo(401));
    }

    @Test
    void feedWithAnUnknownTicketIsRefused() {
        assertThatThrownBy(() -> feed("ct_notatickettheconsoleissued")).satisfies(e -> assertThat(rejectedStatus(e)).isEqualTo(401));
    }

    @Test
    void aTicketOpensTheFeedOnce() {
        String ticket = ticket();
        try (FeedClient first = feed(ticket)) {
            first.await("snapshot");
            assertThatThrownBy(() -> feed(ticket)).satisfies(e -> assertThat(rejectedStatus(e)).isEqualTo(401));
        }
    }

    // ---- where: the page and its API on the management interface, the feed on the main port

    @Test
    void theConsoleIsServedOnTheManagementInterfaceOnly() {
        Management.given().get("/console").then().statusCode(200).body(containsString("realtime-gateway console"));
        given().get("/console").then().statusCode(404);
        given().get("/console/api/state").then().statusCode(404);
        given().header("X-Console", "1").post("/console/api/ticket").then().statusCode(404);
    }

    @Test
    void theTicketAnswerNamesTheFeedOnTheMainPort() {
        String feedUrl = Management.given().header("X-Console", "1").post("/console/api/ticket").then().statusCode(200)
                .extract().path("feed_url");
        URI feed = URI.create(feedUrl);
        assertThat(feed.getScheme()).isEqualTo("ws");
        assertThat(feed.getPort()).isEqualTo(base.getPort()).isNotEqualTo(Management.port());
        assertThat(feed.getPath()).isEqualTo(ConsoleFeed.PATH);
        assertThat(feed.getHost()).as("the host the page asked for").isEqualTo(Management.uri().getHost());
    }

    @Test
    void theConsolePageOriginOpensTheFeedAnotherPageDoesNot() {
        // Cross-origin for the CORS filter (another port, nothing in GATEWAY_CORS_ORIGINS): the feed decides by the ticket.
        String ticket = Management.given().header("X-Console", "1").header("Origin", consoleOrigin()).post("/console/api/ticket")
                .then().statusCode(200).extract().path("ticket");
        assertThatThrownBy(() -> feed(ticket, "http://evil.example")).satisfies(e -> assertThat(rejectedStatus(e)).isEqualTo(403));
        try (FeedClient page = feed(ticket, consoleOrigin())) {
            assertThat(page.await("snapshot").getJsonObject("state").getString("access")).isEqualTo("dev");
        }
        // A ticket asked for without Origin (a script) is bound to the scheme and Host it asked for.
        String scripted = ticket();
        assertThatThrownBy(() -> feed(scripted, consoleOrigin().replace("localhost", "example.com")))
                .satisfies(e -> assertThat(rejectedStatus(e)).isEqualTo(403));
        try (FeedClient script = feed(scripted, "http://" + Management.uri().getHost() + ":" + Management.port())) {
            script.await("snapshot");
        }
    }

    @Test
    void aForeignOriginIsRefusedWithAProblem() {
        String ticket = Management.given().header("X-Console", "1").header("Origin", consoleOrigin()).post("/console/api/ticket")
                .then().statusCode(200).extract().path("ticket");
        given().header("Origin", "http://evil.example").queryParam("ticket", ticket).get(ConsoleFeed.PATH).then().statusCode(403)
                .contentType("application/problem+json").body("type", containsString("console-origin-not-allowed"));
        // Refused before redemption: the ticket still opens the feed from its page.
        try (FeedClient page = feed(ticket, consoleOrigin())) {
            page.await("snapshot");
        }
    }

    // ---- what the feed says

    @Test
    void theFirstMessageIsTheWholeState() {
        try (FeedClient client = feed(ticket())) {
            JsonObject state = client.await("snapshot").getJsonObject("state");
            assertThat(client.events.get(0).getString("type")).isEqualTo("snapshot");
            assertThat(state.getString("access")).isEqualTo("dev");
            assertThat(state.getJsonObject("checks").getJsonArray("features")).isNotEmpty();
            JsonObject key = state.getJsonObject("keys").getJsonArray("agreement").getJsonObject(0);
            assertThat(key.getString("api_key")).isEqualTo(LiveKitTestConfig.API_KEY);
            assertThat(key.getBoolean("signing")).isTrue();
            assertThat(key.getJsonObject("fingerprints").getString("LIVEKIT_API_KEY/LIVEKIT_API_SECRET")).startsWith("len=");
            assertThat(state.getJsonObject("relay").getBoolean("enabled")).isTrue();
            assertThat(state.getJsonObject("relay").getString("api_key")).startsWith("len=");
            assertThat(state.getJsonObject("readiness").getString("status")).isIn("UP", "DOWN");
            assertThat(state.encode()).doesNotContain(LiveKitTestConfig.SECRET).doesNotContain(FakeOpenAiUpstream.API_KEY);
        }
    }

    /** The charts' history (one point a second in this profile) in the snapshot, then each new point as it is taken. */
    @Test
    void theSnapshotCarriesTheChartsHistoryThenEachNewPoint() {
        await().atMost(FeedClient.WAIT).until(() -> charts.history().seq() >= 2);
        try (FeedClient client = feed(ticket())) {
            JsonObject snapshot = client.await("snapshot").getJsonObject("state").getJsonObject("charts");
            assertThat(snapshot.getInteger("capacity")).isEqualTo(ChartHistory.CAPACITY);
            assertThat(snapshot.getLong("interval_seconds")).isEqualTo(1);
            assertThat(snapshot.getJsonArray("charts").stream().map(c -> ((JsonObject) c).getString("id")))
                    .containsExactly("sessions", "admissions", "frames", "usage");
            JsonObject sessions = snapshot.getJsonArray("charts").getJsonObject(0);
            assertThat(sessions.getString("unit")).isEqualTo("sessions");
            assertThat(sessions.getJsonArray("series").getJsonObject(0).getString("name")).isEqualTo("relay");
            JsonArray points = snapshot.getJsonArray("points");
            assertThat(points.size()).isBetween(2, ChartHistory.CAPACITY);
            JsonObject last = points.getJsonObject(points.size() - 1);
            assertThat(last.getJsonArray("values")).hasSize(ChartSeries.ALL.size());
            assertThat(last.getLong("at")).isPositive();
            long seq = last.getLong("seq");
            JsonObject next = client.await("chart.point", e -> e.getJsonObject("point").getLong("seq") > seq).getJsonObject("point");
            assertThat(next.getLong("seq")).as("no point is skipped").isEqualTo(seq + 1);
            assertThat(next.getJsonArray("values")).hasSize(ChartSeries.ALL.size());
        }
    }

    /** 150 sessions opening within one sample are one sample's work: a console that reads them is not dropped as too slow. */
    @Test
    void aBurstOfSessionsInOneSampleDoesNotDropTheFeed() {
        int burst = 150; // over GATEWAY_CONSOLE_MAX_IN_FLIGHT_MESSAGES (64): one message each
        // A worker context: the sample then publishes off the feed connection's event loop, so its writes complete
        // later, as they do when the sessions live on another loop than the console's connection.
        Context context = ((VertxInternal) vertx).createWorkerContext();
        List<BurstSession> sessions = new ArrayList<>();
        try (FeedClient client = feed(ticket())) {
            client.await("snapshot");
            for (int i = 0; i < burst; i++) {
                BurstSession session = new BurstSession("burst-" + i, context);
                sessions.add(session);
                registry.opened(session);
            }
            await().atMost(FeedClient.WAIT).until(() -> client.events.stream().filter(e -> "session.opened".equals(e.getString("type"))
                    && e.getJsonObject("session").getString("id").startsWith("burst-")).count() == burst);
            sessions.forEach(s -> registry.closed(s.snapshot(), 1000, "1000"));
            sessions.clear();
            await().atMost(FeedClient.WAIT).until(() -> client.events.stream().anyMatch(e -> "sessions".equals(e.getString("type"))
                    && e.getJsonArray("live").stream().noneMatch(x -> ((JsonObject) x).getString("id").startsWith("burst-"))));
            assertThat(client.closed).as("the feed stays open").isNull();
        } finally {
            sessions.forEach(s -> registry.closed(s.snapshot(), 1000, "1000"));
        }
    }

    /** A registered session with nothing behind it: what the registry and the feed see of a relayed one. */
    private record BurstSession(String id, Context context) implements SessionRegistry.Live {

        @Override
        public SessionRegistry.LiveSession snapshot() {
            return new SessionRegistry.LiveSession(id, "burst", "gpt-realtime", Instant.EPOCH, "-", new SessionRegistry.Traffic(0, 0),
                    new SessionRegistry.Traffic(0, 0), new SessionRegistry.Tokens(0, 0, 0), SessionRegistry.WEBSOCKET);
        }

        @Override
        public void shutDown() {
        }
    }

    @Test
    void aRelaySessionAppearsWithItsUsageAndLeavesWithItsCloseCode() throws Exception {
        try (FeedClient client = feed(ticket())) {
            client.await("snapshot");
            ClientWebSocket relay = relaySession();
            JsonObject opened = client.await("session.opened", e -> e.getJsonObject("session").getString("identity").equals("anonymous"))
                    .getJsonObject("session");
            String id = opened.getString("id");
            assertThat(opened.getString("model")).isEqualTo("gpt-realtime");

            relay.writeTextMessage(new JsonObject().put("type", "response.create").encode());
            JsonObject live = client.await("sessions", e -> session(e.getJsonArray("live"), id) != null
                    && session(e.getJsonArray("live"), id).getJsonObject("usage").getLong("total") == 30).getJsonArray("live").stream()
                    .map(JsonObject.class::cast).filter(s -> s.getString("id").equals(id)).findFirst().orElseThrow();
            assertThat(live.getString("upstream_session")).startsWith("sess_fake_");
            assertThat(live.getJsonObject("up").getLong("frames")).isEqualTo(1);
            assertThat(live.getJsonObject("down").getLong("frames")).isGreaterThanOrEqualTo(6); // session.created .. response.done

            relay.close((short) 1000).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
            JsonObject closed = client.await("session.closed", e -> e.getJsonObject("closed").getJsonObject("session").getString("id").equals(id))
                    .getJsonObject("closed");
            assertThat(closed.getInteger("client_close")).isEqualTo(1000);
            assertThat(closed.getJsonObject("session").getJsonObject("usage").getLong("total")).isEqualTo(30);
            client.await("sessions", e -> session(e.getJsonArray("live"), id) == null);
        }
    }

    @Test
    void theKillSwitchClosesARelayedSessionWithItsReason() throws Exception {
        try (FeedClient client = feed(ticket())) {
            client.await("snapshot");
            ClientWebSocket relay = relaySession();
            CompletableFuture<String> closed = new CompletableFuture<>();
            relay.closeHandler(v -> closed.complete(relay.closeStatusCode() + " " + relay.closeReason()));
            String id = client.await("session.opened", e -> e.getJsonObject("session").getString("identity").equals("anonymous"))
                    .getJsonObject("session").getString("id");
            Management.given().post("/console/api/sessions/" + id + "/close").then().statusCode(403); // no X-Console: refused
            Management.given().header("X-Console", "1").post("/console/api/sessions/" + id + "/close").then().statusCode(202);
            assertThat(closed.get(15, TimeUnit.SECONDS)).isEqualTo("1008 ended from the console");
            JsonObject ended = client.await("session.closed", e -> e.getJsonObject("closed").getJsonObject("session").getString("id").equals(id))
                    .getJsonObject("closed");
            assertThat(ended.getInteger("client_close")).isEqualTo(1008);
        }
    }

    private static JsonObject session(JsonArray live, String id) {
        return live.stream().map(JsonObject.class::cast).filter(s -> s.getString("id").equals(id)).findFirst().orElse(null);
    }

    private ClientWebSocket relaySession() throws Exception {
        return relaySession(vertx, base);
    }

    /** A relay session up to session.created, as the SDKs open one (a ticket from the endpoint; auth mode none in tests). */
    static ClientWebSocket relaySession(Vertx vertx, URI base) throws Exception {
        String ticket = given().contentType("application/json").body("{}").post("/api/realtime/client-secret")
                .then().statusCode(200).extract().path("value");
        List<String> types = new CopyOnWriteArrayList<>();
        ClientWebSocket socket = vertx.createWebSocketClient().webSocket();
        socket.textMessageHandler(text -> types.add(new JsonObject(text).getString("type")));
        ClientSockets.connect(vertx, socket, new WebSocketConnectOptions().setHost(base.getHost()).setPort(base.getPort())
                .setURI("/v1/realtime?model=gpt-realtime").addHeader("Authorization", "Bearer " + ticket)).get(15, TimeUnit.SECONDS);
        await().atMost(FeedClient.WAIT).until(() -> types.contains("session.created"));
        return socket;
    }

    // ---- the API and the page

    @Test
    void theStateEndpointShowsKeysByFingerprintOnly() {
        String body = Management.given().get("/console/api/state").then().statusCode(200).header("Cache-Control", "no-store")
                .body("keys.signing_key", equalTo(LiveKitTestConfig.API_KEY))
                .body("relay.enabled", equalTo(true))
                .extract().asString();
        assertThat(body).doesNotContain(LiveKitTestConfig.SECRET).doesNotContain(FakeOpenAiUpstream.API_KEY);
    }

    @Test
    void rerunningTheChecksAnswersTheNewReport() {
        String before = Management.given().get("/console/api/state").then().statusCode(200).extract().path("checks.checked_at");
        Management.given().header("X-Console", "1").post("/console/api/checks").then().statusCode(200)
                .body("features.name", hasItem("livekit"))
                .body("checked_at", not(equalTo(before)));
    }

    @Test
    void actionsNeedTheConsoleHeader() {
        Management.given().post("/console/api/ticket").then().statusCode(403)
                .contentType("application/problem+json").body("type", containsString("console-header-required"));
        Management.given().post("/console/api/checks").then().statusCode(403);
    }

    @Test
    void thePageAndItsAssetsComeFromTheJar() {
        Management.given().get("/console").then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .body(containsString("realtime-gateway console"), containsString("/console/assets/console.js"));
        Management.given().get("/console/assets/console.js").then().statusCode(200).contentType(containsString("javascript"))
                .body(containsString("/console/api/"));
        Management.given().get("/console/assets/console.css").then().statusCode(200).contentType(containsString("text/css"));
        Management.given().get("/console/assets/other.js").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void tryItOpensARelaySessionUpToSessionCreated() {
        Management.given().header("X-Console", "1").post("/console/api/try/relay").then().statusCode(200)
                .body("ok", equalTo(true))
                .body("events", hasItem("session.created"))
                .body("upstream_session", startsWith("sess_fake_"));
    }
}
