package io.realtimegateway.openai;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.Management;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * What the WebRTC @QuarkusTests share: one profile (so one boot), the fake upstream (reset before each test, every
 * call it accepted ended after it, so no session slot leaks into the next test), tickets, a browser's SDP offer and
 * the raw request a browser sends with it.
 */
abstract class CallTestBase {

    static final String INSTRUCTIONS = "Only talk about the weather.";
    static final String PROBLEM_TYPE_BASE = "https://realtime-gateway.dev/problems/";
    static final Duration WAIT = Duration.ofSeconds(15);

    /** A Chrome offer, shortened: one audio m-line and the data channel. */
    static final String OFFER = String.join("\r\n", "v=0", "o=- 7914315417355271937 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
            "a=group:BUNDLE 0 1", "a=extmap-allow-mixed", "a=msid-semantic: WMS",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0", "a=ice-ufrag:Yf3b",
            "a=ice-pwd:0c2yJ2Z1ufbNyGOTXaWm0bSr", "a=ice-options:trickle",
            "a=fingerprint:sha-256 1D:0A:69:54:6B:5B:B6:4C:7D:21:9C:5E:2B:9F:C4:35:61:2C:6E:3A:81:1F:DF:5E:5C:33:64:32:67:0F:56:0E",
            "a=setup:actpass", "a=mid:0", "a=sendrecv", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0", "a=ice-ufrag:Yf3b",
            "a=ice-pwd:0c2yJ2Z1ufbNyGOTXaWm0bSr", "a=setup:actpass", "a=mid:1", "a=sctp-port:5000", "");

    /** Small limits, server instructions, one session per identity, and OpenAI organization/project headers. */
    public static class CallProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.realtime.instructions", INSTRUCTIONS,
                    "gateway.realtime.idle-timeout", "3s",
                    "gateway.realtime.max-session-length", "6s",
                    "gateway.realtime.max-sessions-per-identity", "1",
                    "gateway.realtime.client-secrets.max-expiry", "5m",
                    "gateway.openai.organization", "org_test123",
                    "gateway.openai.project", "proj_test456");
        }
    }

    FakeOpenAiUpstream.Control fake;

    @BeforeEach
    void resetFake() {
        fake = FakeOpenAiUpstream.control();
        fake.reset();
    }

    @AfterEach
    void endCalls() {
        for (JsonObject call : fake.calls()) {
            if (call.getString("callId") != null) {
                fake.browserSends(call.getString("callId"), new JsonObject().put("type", "fake.hangup"));
            }
        }
        await().atMost(WAIT).until(() -> metric("gateway_realtime_calls_active") == 0);
    }

    /** A relay ticket from {@code POST /api/realtime/client-secret} (auth mode none in tests). */
    static String ticket() {
        return given().contentType("application/json").body("{}").post("/api/realtime/client-secret")
                .then().statusCode(200).extract().path("value");
    }

    /** The SDP exchange as a browser's fetch sends it: {@code Content-Type: application/sdp}, the ticket as bearer. */
    static Response postOffer(String ticket, String offer) {
        return given().header("Authorization", "Bearer " + ticket).contentType("application/sdp").body(offer.getBytes(StandardCharsets.UTF_8)).post("/v1/realtime/calls");
    }

    /** A call set up through the gateway; returns OpenAI's call id (from Location). */
    static String startCall() {
        String location = postOffer(ticket(), OFFER).then().statusCode(201).extract().header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** The value of one Prometheus series at /q/metrics; 0 when absent. */
    static double metric(String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(Management.given().get("/q/metrics").asString());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** The sideband connections the fake saw for a call. */
    java.util.List<JsonObject> sidebands(String callId) {
        return fake.connections().stream().filter(c -> ("call_id=" + callId).equals(c.getString("query"))).toList();
    }
}
