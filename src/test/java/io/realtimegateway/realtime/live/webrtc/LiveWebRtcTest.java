package io.realtimegateway.realtime.live.webrtc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.relay.SessionRegistry;
import io.realtimegateway.state.StateStore;
import io.realtimegateway.state.UsageField;
import io.realtimegateway.testing.FakeLiveWebRtc;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.LogCapture;
import io.realtimegateway.testing.Management;
import io.realtimegateway.testing.Secrets;
import io.realtimegateway.ticket.TestTickets;
import io.realtimegateway.ticket.Ticket;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code POST /v1/live/sessions} (WebRTC): the browser's JSON and a {@code live} ticket in; the Live policy applied to
 * the create OpenAI gets, the data channel restricted, the sideband attached before the answer, OpenAI's
 * {@code {session:{id}, transport:{sdp}}} out; a failed attach closes the session and answers 502; the leash ends the
 * session when the identity's seconds are spent, and the console's kill switch ends it through the sideband. Each test
 * has its own identity (signed tickets), so the seconds budget of one does not spill into another.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class)
@TestProfile(LiveWebRtcTest.Profile.class)
class LiveWebRtcTest {

    static final String INSTRUCTIONS = "Speak only about the weather.";
    static final String TICKET_SECRET = Secrets.shared("live-rtc-ticket-secret");
    static final Duration WAIT = Duration.ofSeconds(15);

    /** A Chrome offer, shortened: one audio m-line and the data channel. */
    static final String OFFER = String.join("\r\n", "v=0", "o=- 7914315417355271937 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
            "a=group:BUNDLE 0 1", "a=msid-semantic: WMS", "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=ice-ufrag:Yf3b",
            "a=ice-pwd:0c2yJ2Z1ufbNyGOTXaWm0bSr",
            "a=fingerprint:sha-256 1D:0A:69:54:6B:5B:B6:4C:7D:21:9C:5E:2B:9F:C4:35:61:2C:6E:3A:81:1F:DF:5E:5C:33:64:32:67:0F:56:0E",
            "a=setup:actpass", "a=mid:0", "a=sendrecv", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0", "a=setup:actpass", "a=mid:1", "a=sctp-port:5000", "");

    /** Server instructions, a known ticket secret, and 18 GPT-Live seconds per identity and day (15 of them go at creation). */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.live.instructions", INSTRUCTIONS,
                    "gateway.live.budget-seconds-per-day", "18",
                    "gateway.realtime.ticket-secret", TICKET_SECRET);
        }
    }

    @Inject
    StateStore state;

    @Inject
    SessionRegistry registry;

    FakeLiveWebRtc.Control live;

    @BeforeEach
    void resetFake() {
        FakeOpenAiUpstream.control().reset();
        live = FakeLiveWebRtc.control();
    }

    @AfterEach
    void endSessions() {
        for (JsonObject create : live.creates()) {
            if (create.getString("sessionId") != null) {
                live.browserSends(create.getString("sessionId"), new JsonObject().put("type", "session.close"));
            }
        }
        await().atMost(WAIT).until(() -> metric("gateway_live_webrtc_sessions_active") == 0);
    }

    static String ticket(String identity) {
        return TestTickets.sign(TICKET_SECRET, identity, "gpt-live-1", Ticket.Type.LIVE, Instant.now().plusSeconds(60));
    }

    static Response post(String ticket, JsonObject body) {
        return given().header("Authorization", "Bearer " + ticket).contentType("application/json").body(body.encode()).post("/v1/live/sessions");
    }

    static JsonObject create(JsonObject session) {
        JsonObject body = new JsonObject().put("transport", new JsonObject().put("type", "webrtc").put("sdp", OFFER));
        return session == null ? body : body.put("session", session);
    }

    @Test
    void theCreateIsAnsweredInOpenAisShapeWithThePolicyAppliedUpstream() {
        String ticket = ticket("rtc-shape");
        JsonObject asked = new JsonObject().put("instructions", "Be brief.")
                .put("client", new JsonObject().put("data_channel", new JsonObject().put("allowed_client_events",
                        new JsonArray().add("session.update").add("response.create").add("session.instructions.append"))));
        String id = post(ticket, create(asked))
                .then().statusCode(201)
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .body("session.id", matchesPattern("live_fake_[0-9]+"))
                .body("transport.type", equalTo("webrtc"))
                .body("transport.sdp", equalTo(FakeOpenAiUpstream.answerFor(OFFER)))
                .extract().path("session.id");

        List<JsonObject> creates = live.creates();
        assertThat(creates).hasSize(1);
        JsonObject sent = creates.get(0);
        assertThat(sent.getJsonObject("headers").getString("Authorization")).isEqualTo("Bearer " + FakeOpenAiUpstream.API_KEY);
        assertThat(sent.getString("contentType")).startsWith("application/json");
        JsonObject session = sent.getJsonObject("body").getJsonObject("session");
        assertThat(session.getString("model")).isEqualTo("gpt-live-1");
        assertThat(session.getString("instructions")).as("the server's first, the browser's after").isEqualTo(INSTRUCTIONS + "\n\nBe brief.");
        assertThat(session.getJsonObject("client").getJsonObject("data_channel").getJsonArray("allowed_client_events"))
                .as("the browser's list within the gateway's: no session.update, no instructions while the server sets them")
                .containsExactly("response.create");
        assertThat(sent.getJsonObject("body").getJsonObject("transport").getString("sdp")).isEqualTo(OFFER);
        assertThat(sent.encode()).as("the ticket never reaches OpenAI").doesNotContain(ticket);
        assertThat(sent.getString("sessionId")).isEqualTo(id);
    }

    @Test
    void theSidebandIsAttachedBeforeTheAnswerIsReturned() {
        // A slow attach (1 s): the answer must wait for it.
        live.attachDelayMs(1000);
        String id = post(ticket("rtc-order"), create(null)).then().statusCode(201).extract().path("session.id");
        // Read as soon as the answer is in: the attach must already have been answered.
        assertThat(live.log()).containsExactly("create " + id, "attach " + id);
        JsonObject attach = live.attaches().get(0);
        assertThat(attach.getString("sessionId")).isEqualTo(id);
        assertThat(attach.getString("query")).isEqualTo("graceful_close=true");
        assertThat(attach.getJsonObject("headers").getString("Authorization")).isEqualTo("Bearer " + FakeOpenAiUpstream.API_KEY);
        assertThat(attach.getBoolean("closed")).isFalse();
        assertThat(metric("gateway_live_webrtc_sessions_active")).isEqualTo(1);
    }

    @Test
    void aFailedAttachClosesTheSessionUpstreamAndAnswers502() {
        live.attachStatus(503);
        double failed = metric("gateway_live_webrtc_sessions_ended_total{reason=\"sideband_failed\"}");
        post(ticket("rtc-attach"), create(null))
                .then().statusCode(502)
                .contentType("application/problem+json")
                .body("type", equalTo("https://realtime-gateway.dev/problems/sideband-failed"));
        String id = live.creates().get(0).getString("sessionId");
        await().atMost(WAIT).until(() -> live.hangups().contains(id));
        assertThat(live.log()).containsExactly("create " + id, "hangup " + id);
        assertThat(metric("gateway_live_webrtc_sessions_ended_total{reason=\"sideband_failed\"}")).isEqualTo(failed + 1);
        // The session slot was given back.
        live.attachStatus(0);
        post(ticket("rtc-attach"), create(null)).then().statusCode(201);
    }

    /**
     * The building block of a takeover: a sideband that drops without {@code session.closed} (the session may still run)
     * is attached again; the session stays leashed and is still closed through the new sideband.
     */
    @Test
    void aDroppedSidebandIsAttachedAgain() {
        double reattached = metric("gateway_live_webrtc_sideband_reattached_total");
        String id = post(ticket("rtc-drop"), create(null)).then().statusCode(201).extract().path("session.id");
        live.browserSends(id, new JsonObject().put("type", "fake.drop"));
        await().atMost(WAIT).until(() -> live.attaches().size() == 2);
        await().atMost(WAIT).until(() -> metric("gateway_live_webrtc_sideband_reattached_total") == reattached + 1);
        assertThat(live.log()).containsExactly("create " + id, "attach " + id, "attach " + id);
        assertThat(metric("gateway_live_webrtc_sessions_active")).isEqualTo(1);
        Management.given().header("X-Console", "1").post("/console/api/sessions/" + id + "/close").then().statusCode(202);
        await().atMost(WAIT).until(() -> live.attaches().get(1).getJsonArray("messages").encode().contains("session.close"));
        await().atMost(WAIT).until(() -> metric("gateway_live_webrtc_sessions_active") == 0);
        assertThat(live.hangups()).as("closed through the sideband, no hang-up needed").isEmpty();
    }

    @Test
    void aRealtimeTicketDoesNotOpenALiveSession() {
        String realtime = given().contentType("application/json").body("{}").post("/api/realtime/client-secret")
                .then().statusCode(200).extract().path("value");
        post(realtime, create(null))
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://realtime-gateway.dev/problems/ticket-type-mismatch"));
        assertThat(live.creates()).isEmpty();
    }

    @Test
    void whatThePolicyRefusesNeverReachesOpenAi() {
        post(ticket("rtc-policy"), create(new JsonObject().put("delegation", new JsonObject().put("type", "responses")
                .put("responses", new JsonObject().put("model", "gpt-5.6-luna").put("tools", new JsonArray().add(new JsonObject().put("type", "shell")))))))
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://realtime-gateway.dev/problems/tool-not-allowed"))
                .body("errors[0].field", equalTo("session.delegation.responses.tools"));
        post(ticket("rtc-policy"), create(new JsonObject().put("model", "gpt-realtime")))
                .then().statusCode(400)
                .body("type", equalTo("https://realtime-gateway.dev/problems/model-not-allowed"));
        post(ticket("rtc-policy"), new JsonObject().put("transport", new JsonObject().put("type", "websocket")))
                .then().statusCode(400)
                .body("errors[0].field", equalTo("transport.type"));
        post(ticket("rtc-policy"), create(null).put("extra", true))
                .then().statusCode(400)
                .body("errors[0].field", equalTo("extra"));
        assertThat(live.creates()).isEmpty();
        // None of the refusals spent the ticket... they were all different tickets; this one still opens a session.
        post(ticket("rtc-policy"), create(null)).then().statusCode(201);
    }

    @Test
    void spendingTheIdentitysSecondsEndsTheSessionThroughTheSideband() {
        double ended = metric("gateway_live_webrtc_sessions_ended_total{reason=\"budget_exceeded\"}");
        try (LogCapture logs = new LogCapture()) {
            String id = post(ticket("rtc-budget"), create(null)).then().statusCode(201).extract().path("session.id");
            await().atMost(WAIT).until(() -> seconds("rtc-budget") == 15);

            // OpenAI reports 20 s: over the 18 s of the identity's day.
            live.browserSends(id, new JsonObject().put("type", "fake.usage").put("seconds", 20));

            await().atMost(WAIT).until(() -> live.attaches().get(0).getJsonArray("messages").stream()
                    .anyMatch(m -> new JsonObject((String) m).getString("type").equals("session.close")));
            await().atMost(WAIT).until(() -> metric("gateway_live_webrtc_sessions_ended_total{reason=\"budget_exceeded\"}") == ended + 1);
            await().atMost(WAIT).until(() -> seconds("rtc-budget") == 20);
            await().atMost(WAIT).until(() -> logs.lines().stream().anyMatch(l -> l.contains("GPT-Live WebRTC session ended") && l.contains("end=budget_exceeded")));
            assertThat(String.join("\n", logs.lines())).doesNotContain(FakeOpenAiUpstream.API_KEY);
        }
        // The identity's day is spent: the next create is refused before OpenAI is asked.
        post(ticket("rtc-budget"), create(null)).then().statusCode(429)
                .body("type", equalTo("https://realtime-gateway.dev/problems/budget-exceeded"));
        assertThat(live.creates()).hasSize(1);
    }

    @Test
    void theConsoleListsTheSessionAndItsKillSwitchClosesIt() {
        String id = post(ticket("rtc-kill"), create(null)).then().statusCode(201).extract().path("session.id");
        SessionRegistry.LiveSession session = registry.sample().await().atMost(WAIT).stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
        assertThat(session.type()).isEqualTo(SessionRegistry.LIVE);
        assertThat(session.transport()).isEqualTo(SessionRegistry.WEBRTC);
        assertThat(session.model()).isEqualTo("gpt-live-1");
        assertThat(session.identity()).isEqualTo("rtc-kill");
        assertThat(session.seconds()).isGreaterThanOrEqualTo(15);
        assertThat(session.budgetLeft()).isBetween(0L, 3L);

        Management.given().post("/console/api/sessions/" + id + "/close").then().statusCode(403);
        Management.given().header("X-Console", "1").post("/console/api/sessions/nope/close").then().statusCode(404)
                .contentType("application/problem+json");
        double killed = metric("gateway_live_webrtc_sessions_ended_total{reason=\"killed\"}");
        Management.given().header("X-Console", "1").post("/console/api/sessions/" + id + "/close").then().statusCode(202)
                .body("closing", equalTo(true));
        await().atMost(WAIT).until(() -> metric("gateway_live_webrtc_sessions_ended_total{reason=\"killed\"}") == killed + 1);
        assertThat(live.attaches().get(0).getJsonArray("messages").getString(0)).contains("\"session.close\"");
        SessionRegistry.ClosedSession closed = registry.closed().stream().filter(c -> c.session().id().equals(id)).findFirst().orElseThrow();
        assertThat(closed.session().type()).isEqualTo(SessionRegistry.LIVE);
        assertThat(closed.upstreamClose()).isEqualTo("1000");
    }

    private long seconds(String identity) {
        return state.usage(identity, LocalDate.now(ZoneOffset.UTC)).await().atMost(WAIT).get(UsageField.LIVE_SECONDS);
    }

    /** The value of one Prometheus series at /q/metrics; 0 when absent. */
    static double metric(String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(Management.given().get("/q/metrics").asString());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
