package io.realtimegateway.openai;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.LogCapture;
import io.realtimegateway.testing.Secrets;
import io.realtimegateway.ticket.TestTickets;
import io.realtimegateway.ticket.Ticket;
import io.vertx.core.json.JsonObject;

/**
 * {@code POST /v1/realtime/calls}: the browser's raw SDP offer with a gateway ticket becomes OpenAI's multipart call
 * request with the server key and the server's session; OpenAI's answer comes back as OpenAI gives it; refusals are
 * problem+json and never reach OpenAI.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class)
@TestProfile(CallTestBase.CallProfile.class)
class RealtimeCallTest extends CallTestBase {

    @Test
    void theOfferGoesToOpenAiAsTheUnifiedInterfaceFormWithTheServerKeyAndPolicy() {
        String ticket = ticket();
        String location = postOffer(ticket, OFFER)
                .then().statusCode(201)
                .contentType("application/sdp")
                .header("Cache-Control", "no-store")
                .body(equalTo(FakeOpenAiUpstream.answerFor(OFFER)))
                .extract().header("Location");
        assertThat(location).matches("/v1/realtime/calls/rtc_fake_[0-9]+");

        List<JsonObject> calls = fake.calls();
        assertThat(calls).hasSize(1);
        JsonObject call = calls.get(0);
        JsonObject headers = call.getJsonObject("headers");
        assertThat(headers.getString("Authorization")).isEqualTo("Bearer " + FakeOpenAiUpstream.API_KEY);
        assertThat(headers.getString("OpenAI-Organization")).isEqualTo("org_test123");
        assertThat(headers.getString("OpenAI-Project")).isEqualTo("proj_test456");
        assertThat(headers.getString("OpenAI-Beta")).isNull();
        assertThat(call.getString("query")).as("no ?model= (OpenAI answers it with an empty 400)").isNull();
        assertThat(call.getString("contentType")).startsWith("multipart/form-data; boundary=");
        JsonObject parts = call.getJsonObject("parts");
        assertThat(parts.fieldNames()).containsExactlyInAnyOrder("sdp", "session");
        assertThat(parts.getJsonObject("sdp").getString("contentType")).isEqualTo("application/sdp");
        assertThat(parts.getJsonObject("sdp").getString("body")).isEqualTo(OFFER);
        assertThat(parts.getJsonObject("session").getString("contentType")).isEqualTo("application/json");
        assertThat(new JsonObject(parts.getJsonObject("session").getString("body")))
                .isEqualTo(new JsonObject().put("type", "realtime").put("model", "gpt-realtime").put("instructions", INSTRUCTIONS));
        assertThat(call.encode()).as("the ticket never reaches OpenAI").doesNotContain(ticket).doesNotContain(ticket.substring(3));
        assertThat(call.getString("callId")).isEqualTo(location.substring(location.lastIndexOf('/') + 1));
    }

    @Test
    void theTicketsModelIsTheCallsModelAndAQueryModelMustMatchIt() {
        String ticket = given().contentType("application/json").body("{\"session\":{\"model\":\"gpt-realtime-mini\"}}")
                .post("/api/realtime/client-secret").then().statusCode(200).extract().path("value");
        postOffer(ticket, OFFER).then().statusCode(201);
        assertThat(sessionSent(0).getString("model")).isEqualTo("gpt-realtime-mini");
        endCalls();

        String mini = given().contentType("application/json").body("{\"session\":{\"model\":\"gpt-realtime-mini\"}}")
                .post("/api/realtime/client-secret").then().statusCode(200).extract().path("value");
        given().header("Authorization", "Bearer " + mini).contentType("application/sdp").body(OFFER.getBytes(StandardCharsets.UTF_8))
                .post("/v1/realtime/calls?model=gpt-realtime-mini").then().statusCode(201);
        assertThat(sessionSent(1).getString("model")).isEqualTo("gpt-realtime-mini");
        assertThat(fake.calls().get(1).getString("query")).as("the gateway never forwards ?model=").isNull();
        endCalls();

        // A ticket issued for the default model does not open a call on another one.
        given().header("Authorization", "Bearer " + ticket()).contentType("application/sdp").body(OFFER.getBytes(StandardCharsets.UTF_8))
                .post("/v1/realtime/calls?model=gpt-realtime-mini").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://realtime-gateway.dev/problems/ticket-model-mismatch"));
        assertThat(fake.calls()).hasSize(2);
    }

    @Test
    void aModelThatIsNotAllowedIsRefusedBeforeTheTicketIsSpent() {
        String ticket = ticket();
        given().header("Authorization", "Bearer " + ticket).contentType("application/sdp").body(OFFER.getBytes(StandardCharsets.UTF_8))
                .post("/v1/realtime/calls?model=gpt-4o")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_TYPE_BASE + "model-not-allowed"))
                .body("detail", containsString("gpt-realtime, gpt-realtime-mini"));
        assertThat(fake.calls()).isEmpty();
        postOffer(ticket, OFFER).then().statusCode(201);
    }

    @Test
    void aReplayedTicketIsRefused() {
        String ticket = ticket();
        postOffer(ticket, OFFER).then().statusCode(201);
        endCalls();
        double replays = metric("gateway_realtime_refusals_total{reason=\"ticket_replayed\"}");
        postOffer(ticket, OFFER)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("invalid_token"))
                .body("type", equalTo(PROBLEM_TYPE_BASE + "unauthorized"))
                .body("detail", equalTo("ticket already used: tickets are single-use"));
        assertThat(fake.calls()).hasSize(1);
        assertThat(metric("gateway_realtime_refusals_total{reason=\"ticket_replayed\"}")).isEqualTo(replays + 1);
    }

    @Test
    void missingForgedAndExpiredTicketsAreRefusedWithoutAskingOpenAi() {
        given().contentType("application/sdp").body(OFFER.getBytes(StandardCharsets.UTF_8)).post("/v1/realtime/calls")
                .then().statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("no ticket"));
        postOffer("sk-not-a-ticket", OFFER).then().statusCode(401).body("detail", containsString("not a relay ticket"));
        postOffer(TestTickets.sign(Secrets.random(40), "mallory", "gpt-realtime", Ticket.Type.REALTIME, Instant.now().plusSeconds(60)), OFFER)
                .then().statusCode(401).body("detail", equalTo("ticket invalid (bad signature or claims)"));
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void whatIsNotAnSdpOfferIsRefused() {
        postOffer(ticket(), "hello").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("body")).body("errors[0].message", containsString("v=0"));
        given().header("Authorization", "Bearer " + ticket()).contentType("application/json").body("{\"sdp\":\"v=0\"}").post("/v1/realtime/calls")
                .then().statusCode(415).contentType("application/problem+json");
        postOffer(ticket(), "v=0\r\n" + "a=x\r\n".repeat(14000)).then().statusCode(413).contentType("application/problem+json");
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void openAiRejectingTheServerKeyIsA502ThatQuotesNoKey() {
        fake.rejectKeys(true);
        try (LogCapture logs = new LogCapture()) {
            postOffer(ticket(), OFFER)
                    .then().statusCode(502)
                    .contentType("application/problem+json")
                    .body("type", equalTo(PROBLEM_TYPE_BASE + "openai-key-rejected"))
                    .body("detail", containsString("invalid_request_error/invalid_api_key"))
                    .body("detail", not(containsString("Incorrect API key")))
                    .body("detail", not(containsString(FakeOpenAiUpstream.API_KEY.substring(FakeOpenAiUpstream.API_KEY.length() - 4))));
            assertThat(String.join("\n", logs.lines())).doesNotContain(FakeOpenAiUpstream.API_KEY).doesNotContain("Incorrect API key");
        }
        await().atMost(WAIT).until(() -> metric("gateway_realtime_calls_active") == 0);
        // The slot taken for the call was given back: the next call of this identity (cap 1) gets through.
        fake.rejectKeys(false);
        postOffer(ticket(), OFFER).then().statusCode(201);
    }

    @Test
    void aSecondCallOfTheSameIdentityIsOverTheCap() {
        startCall();
        postOffer(ticket(), OFFER)
                .then().statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_TYPE_BASE + "session-limit-reached"))
                .body("detail", startsWith("max_sessions_per_identity: This identity already has 1 concurrent Realtime sessions"));
        assertThat(fake.calls()).hasSize(1);
    }

    private JsonObject sessionSent(int index) {
        return new JsonObject(fake.calls().get(index).getJsonObject("parts").getJsonObject("session").getString("body"));
    }

    @Test
    void everyUpstreamRequestOfACallCarriesTheIdentitysSafetyIdentifier() {
        String location = startCall();
        JsonObject call = fake.calls().get(0);
        String sent = header(call, "OpenAI-Safety-Identifier");
        assertThat(sent).matches("[A-Za-z0-9_-]{43}").isNotEqualTo("anonymous");
        // The sideband that controls the call carries the same value: one user, one identifier.
        await().atMost(WAIT).until(() -> fake.connections().stream().anyMatch(c -> c.getString("query", "").startsWith("call_id=")));
        JsonObject sideband = fake.connections().stream().filter(c -> c.getString("query", "").startsWith("call_id=")).findFirst().orElseThrow();
        assertThat(header(sideband, "OpenAI-Safety-Identifier")).isEqualTo(sent);
        // And so does a client secret minted for the same caller.
        given().post("/v1/realtime/client_secrets").then().statusCode(200);
        assertThat(header(fake.clientSecrets().get(0), "OpenAI-Safety-Identifier")).isEqualTo(sent);
        assertThat(location).isNotBlank();
    }

    private static String header(JsonObject recorded, String name) {
        JsonObject headers = recorded.getJsonObject("headers");
        return headers.fieldNames().stream().filter(n -> n.equalsIgnoreCase(name)).findFirst().map(headers::getString).orElse(null);
    }
}
