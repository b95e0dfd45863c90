package io.realtimegateway.relay;

import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.LogCapture;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.testing.Management;
import io.realtimegateway.testing.Secrets;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;

/**
 * The relay under the default test profile, section by section: tickets, handshake, upstream, frames and policy,
 * close codes, secrets. One class (over 300 lines) because it reads as the relay's specification in that order;
 * the profiles with other limits have their own classes.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class)
class RealtimeRelayTest extends RelaySocketTestBase {

    private static int status(Throwable t) {
        return ((UpgradeRejectedException) t).getStatus();
    }

    // ---- tickets

    @Test
    void ticketHasTheShapeOfOpenAisClientSecret() {
        long before = Instant.now().getEpochSecond();
        given().contentType("application/json").body("{}")
                .when().post("/api/realtime/client-secret")
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("value", startsWith("ek_"))
                .body("session.type", equalTo("realtime"))
                .body("session.model", equalTo("gpt-realtime"));
        long expiresAt = given().post("/api/realtime/client-secret").then().statusCode(200).extract().jsonPath().getLong("expires_at");
        assertThat(expiresAt).isBetween(before + 50, before + 70);
    }

    @Test
    void ticketRequestMayPickAnAllowedModelOnly() {
        given().contentType("application/json").body("{\"session\":{\"type\":\"realtime\",\"model\":\"gpt-realtime-mini\"}}")
                .post("/api/realtime/client-secret").then().statusCode(200).body("session.model", equalTo("gpt-realtime-mini"));
        given().contentType("application/json").body("{\"session\":{\"model\":\"gpt-4o\"}}")
                .post("/api/realtime/client-secret").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("session.model"));
    }

    // ---- handshake

    @Test
    void noTicketIsRefusedAndNeverReachesUpstream() {
        assertThatThrownBy(() -> connect("model=gpt-realtime", Map.of(), List.of("realtime")))
                .isInstanceOf(UpgradeRejectedException.class)
                .satisfies(t -> assertThat(status(t)).isEqualTo(401));
        assertThat(fake.upgrades()).isZero();
    }

    @Test
    void forgedTicketsAreRefused() {
        String ticket = ticket();
        String tampered = ticket.substring(0, ticket.length() - 4) + (ticket.endsWith("AAAA") ? "BBBB" : "AAAA");
        for (String forged : List.of("ek_not-a-jwt", tampered, "sk-anything")) {
            assertThatThrownBy(() -> open(forged)).isInstanceOf(UpgradeRejectedException.class)
                    .satisfies(t -> assertThat(status(t)).isEqualTo(401));
            upgradeRequest().header("Authorization", "Bearer " + forged).get("/v1/realtime?model=gpt-realtime")
                    .then().statusCode(401).body("type", equalTo(PROBLEM_TYPE_BASE + "unauthorized"));
        }
        assertThat(fake.upgrades()).isZero();
    }

    @Test
    void refusedUpgradesAnswerProblemJson() {
        upgradeRequest().header("Authorization", "Bearer ek_forged")
                .when().get("/v1/realtime?model=gpt-realtime")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_TYPE_BASE + "unauthorized"))
                .header("WWW-Authenticate", startsWith("Bearer realm=\"realtime-gateway\", error=\"invalid_token\""))
                .body("status", equalTo(401))
                .body("detail", equalTo("ticket invalid (bad signature or claims)"));
        assertThat(fake.upgrades()).isZero();
    }

    @Test
    void plainHttpRequestsAreToldToUpgrade() {
        given().when().get("/v1/realtime?model=gpt-realtime")
                .then().statusCode(426)
                .contentType("application/problem+json")
                .header("Upgrade", "websocket")
                .body("title", equalTo("WebSocket required"));
    }

    @Test
    void ticketIsSingleUse() {
        String ticket = ticket();
        TestSocket first = open(ticket);
        first.awaitEvent("session.created");
        assertThatThrownBy(() -> open(ticket)).isInstanceOf(UpgradeRejectedException.class)
                .satisfies(t -> assertThat(status(t)).isEqualTo(401));
        assertThat(fake.upgrades()).isEqualTo(1);
    }

    @Test
    void ticketInSubprotocolWorksAndRealtimeIsEchoed() {
        TestSocket socket = connect("model=gpt-realtime", Map.of(),
                List.of("realtime", "openai-insecure-api-key." + ticket(), "openai-organization.org_123", "openai-agents-sdk.v0.17.0"));
        assertThat(socket.ws.subProtocol()).isEqualTo("realtime");
        assertThat(socket.awaitEvent("session.created").getJsonObject("session").getString("model")).isEqualTo("gpt-realtime");
    }

    @Test
    void realtimeIsEchoedEvenWhenTheKeyIsOfferedFirst() {
        TestSocket socket = connect("model=gpt-realtime", Map.of(),
                List.of("openai-insecure-api-key." + ticket(), "realtime"));
        assertThat(socket.ws.subProtocol()).isEqualTo("realtime");
        socket.awaitEvent("session.created");
    }

    @Test
    void betaHeaderIsRefusedTheWayOpenAiDoes() {
        double refused = metric(refusals("beta_client"));
        TestSocket socket = connect("model=gpt-realtime",
                Map.of("Authorization", "Bearer " + ticket(), "OpenAI-Beta", "realtime=v1"), List.of());
        assertThat(socket.awaitEvent("error").getJsonObject("error").getString("code")).isEqualTo("beta_api_shape_disabled");
        socket.awaitClosed();
        assertThat(socket.closeCode).isEqualTo(4000);
        assertThat(socket.closeReason).isEqualTo("invalid_request_error.beta_api_shape_disabled");
        assertThat(fake.upgrades()).isZero();
        assertThat(metric(refusals("beta_client"))).isEqualTo(refused + 1);
    }

    @Test
    void betaSubprotocolIsRefused() {
        TestSocket socket = connect("model=gpt-realtime", Map.of(),
                List.of("realtime", "openai-insecure-api-key." + ticket(), "openai-beta.realtime-v1"));
        socket.awaitClosed();
        assertThat(socket.closeCode).isEqualTo(4000);
        assertThat(fake.upgrades()).isZero();
    }

    @Test
    void queryModelOtherThanTheTicketsIsRefused() {
        double refused = metric(refusals("ticket_model_mismatch"));
        TestSocket socket = connect("model=gpt-realtime-mini", Map.of("Authorization", "Bearer " + ticket()), List.of());
        JsonObject error = socket.awaitEvent("error").getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("ticket_model_mismatch");
        assertThat(error.getString("message")).contains("gpt-realtime");
        socket.awaitClosed();
        assertThat(socket.closeCode).isEqualTo(4000);
        assertThat(socket.closeReason).isEqualTo("invalid_request_error.ticket_model_mismatch");
        assertThat(fake.upgrades()).isZero();
        assertThat(metric(refusals("ticket_model_mismatch"))).isEqualTo(refused + 1);
    }

    @Test
    void aTranscriptionTicketOpensOnlyATranscriptionSessionAndARealtimeTicketNone() {
        TestSocket realtime = connect("model=gpt-realtime", Map.of("Authorization", "Bearer " + transcriptionTicket()), List.of());
        assertThat(realtime.awaitEvent("error").getJsonObject("error").getString("code")).isEqualTo("ticket_type_mismatch");
        realtime.awaitClosed();
        assertThat(realtime.closeReason).isEqualTo("invalid_request_error.ticket_type_mismatch");
        TestSocket noModel = connect(null, Map.of("Authorization", "Bearer " + transcriptionTicket()), List.of());
        assertThat(noModel.awaitEvent("error").getJsonObject("error").getString("code")).isEqualTo("ticket_type_mismatch");
        TestSocket transcription = connect("intent=transcription", Map.of("Authorization", "Bearer " + ticket()), List.of());
        assertThat(transcription.awaitEvent("error").getJsonObject("error").getString("code")).isEqualTo("ticket_type_mismatch");
        transcription.awaitClosed();
        assertThat(transcription.closeCode).isEqualTo(4000);
        assertThat(fake.upgrades()).isZero();
    }

    // ---- upstream

    @Test
    void upstreamGetsTheServerKeyTheModelAndNoBetaHeader() {
        open(ticket()).awaitEvent("session.created");
        JsonObject seen = fake.connections().get(0);
        assertThat(seen.getString("query")).isEqualTo("model=gpt-realtime");
        JsonObject headers = seen.getJsonObject("headers");
        assertThat(headers.getString("Authorization")).isEqualTo("Bearer " + FakeOpenAiUpstream.API_KEY);
        assertThat(headers.fieldNames()).noneMatch(h -> h.equalsIgnoreCase("OpenAI-Beta"));
    }

    @Test
    void transcriptionIntentIsPassedOn() {
        TestSocket socket = connect("intent=transcription",
                Map.of("Authorization", "Bearer " + transcriptionTicket()), List.of());
        assertThat(socket.awaitEvent("session.created").getJsonObject("session").getString("type")).isEqualTo("transcription");
        assertThat(fake.connections().get(0).getString("query")).isEqualTo("intent=transcription");
    }

    @Test
    void modelWithoutQueryComesFromTheTicket() {
        String ticket = ticket("gpt-realtime-mini");
        TestSocket socket = connect(null, Map.of("Authorization", "Bearer " + ticket), List.of());
        assertThat(socket.awaitEvent("session.created").getJsonObject("session").getString("model")).isEqualTo("gpt-realtime-mini");
    }

    // ---- frames and policy

    @Test
    void sessionModelIsRewrittenToTheEffectiveModel() {
        TestSocket socket = open(ticket());
        socket.awaitEvent("session.created");
        socket.send(new JsonObject().put("type", "session.update")
                .put("session", new JsonObject().put("type", "realtime").put("model", "gpt-4o").put("instructions", "be brief")));
        JsonObject updated = socket.awaitEvent("session.updated").getJsonObject("session");
        assertThat(updated.getString("model")).isEqualTo("gpt-realtime");
        assertThat(updated.getString("instructions")).isEqualTo("be brief"); // no server instructions in this profile
        String sent = fake.connections().get(0).getJsonArray("messages").getString(0);
        assertThat(new JsonObject(sent).getJsonObject("session").getString("model")).isEqualTo("gpt-realtime");
    }

    @Test
    void responseFlowPassesThroughAndUsageIsCounted() {
        TestSocket socket = open(ticket());
        socket.awaitEvent("session.created");
        String clientEvent = "{\"type\":\"response.create\",  \"event_id\":\"evt_1\",\"response\":{\"output_modalities\":[\"text\"]}}";
        socket.ws.writeTextMessage(clientEvent);
        socket.awaitEvent("response.created");
        assertThat(socket.awaitEvent("response.output_text.delta").getString("delta")).isEqualTo("Hello");
        JsonObject done = socket.awaitEvent("response.done");
        assertThat(done.getJsonObject("response").getJsonObject("usage").getInteger("total_tokens")).isEqualTo(30);
        // untouched events pass byte-for-byte (note the two spaces)
        assertThat(fake.connections().get(0).getJsonArray("messages").getString(0)).isEqualTo(clientEvent);
        await().atMost(TestSocket.WAIT).untilAsserted(() -> assertThat(Management.given().get("/q/metrics").then().extract().asString())
                .contains("gateway_realtime_usage_tokens_total{kind=\"total\"}")
                .contains("gateway_realtime_frames_total{direction=\"upstream_to_client\"}")
                .contains("gateway_realtime_upstream_connect_seconds_count"));
    }

    @Test
    void fragmentedMessagesAreRelayedWholeAndStillRewritten() {
        TestSocket socket = open(ticket());
        socket.awaitEvent("session.created");
        String update = new JsonObject().put("type", "session.update")
                .put("session", new JsonObject().put("type", "realtime").put("model", "gpt-4o")).encode();
        int cut = update.length() / 2;
        socket.ws.writeFrame(WebSocketFrame.textFrame(update.substring(0, cut), false));
        socket.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(update.substring(cut)), true));
        socket.ws.writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[] {1, 2}), false));
        socket.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[] {3}), true));
        assertThat(socket.awaitEvent("session.updated").getJsonObject("session").getString("model")).isEqualTo("gpt-realtime");
        await().atMost(TestSocket.WAIT).until(() -> !socket.binaries.isEmpty());
        assertThat(socket.binaries.poll().getBytes()).containsExactly(1, 2, 3);
    }

    @Test
    void binaryFramesOf16MiBPassBothWays() {
        TestSocket socket = open(ticket());
        socket.awaitEvent("session.created");
        byte[] payload = new byte[16 * 1024 * 1024];
        Arrays.fill(payload, (byte) 7);
        socket.ws.writeBinaryMessage(Buffer.buffer(payload));
        await().atMost(TestSocket.WAIT).until(() -> !socket.binaries.isEmpty() || socket.closed);
        assertThat(socket.closed).isFalse();
        assertThat(socket.binaries.poll().length()).isEqualTo(16 * 1024 * 1024);
    }

    @Test
    void largerFramesCloseWith1009() {
        double terminated = metric(terminations("message_too_big"));
        TestSocket socket = open(ticket());
        socket.awaitEvent("session.created");
        socket.ws.writeBinaryMessage(Buffer.buffer(new byte[16 * 1024 * 1024 + 1]));
        socket.awaitClosed();
        assertThat(socket.closeCode).isEqualTo(1009);
        await().atMost(TestSocket.WAIT).until(() -> fake.connections().get(0).getBoolean("closed"));
        assertThat(fake.connections().get(0).getJsonArray("binaryFrames")).isEmpty();
        assertThat(metric(terminations("message_too_big"))).isEqualTo(terminated + 1);
        assertThat(Management.given().get("/q/metrics").asString()).doesNotContain(refusals("message_too_big"));
    }

    @Test
    void framesSentBeforeUpstreamIsReadyAreBufferedInOrder() {
        TestSocket socket = open(ticket());
        for (int i = 0; i < 20; i++) {
            socket.send(new JsonObject().put("type", "fake.echo").put("n", i));
        }
        for (int i = 0; i < 20; i++) {
            assertThat(socket.awaitEvent("fake.echo").getInteger("n")).isEqualTo(i);
        }
    }

    // ---- close codes

    @Test
    void badServerKeyIsMirroredAs3000() {
        fake.rejectKeys(true);
        TestSocket socket = open(ticket());
        JsonObject error = socket.awaitEvent("error").getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("invalid_api_key");
        // OpenAI's message quotes the end of the server key: the client must not get it
        assertThat(error.getString("message")).doesNotContain("Incorrect API key")
                .doesNotContain(FakeOpenAiUpstream.API_KEY.substring(FakeOpenAiUpstream.API_KEY.length() - 4));
        socket.awaitClosed();
        assertThat(socket.closeCode).isEqualTo(3000);
        assertThat(socket.closeReason).isEqualTo("invalid_request_error.invalid_api_key");
    }

    @Test
    void secretsUpstreamQuotesAreScrubbedFromEveryErrorFieldAndFromCloseReasons() {
        String key = FakeOpenAiUpstream.API_KEY;
        String otherKey = "sk-proj-" + Secrets.random(31);
        TestSocket socket = open(ticket());
        socket.awaitEvent("session.created");
        socket.send(new JsonObject().put("type", "fake.error").put("error", new JsonObject().put("type", "invalid_request_error")
                .put("code", "invalid_value").put("message", "Invalid value: " + key + " is not a voice.").put("param", key)
                .put("details", new JsonObject().put("keys", new io.vertx.core.json.JsonArray().add("Bearer " + otherKey)))));
        JsonObject error = socket.awaitEvent("error").getJsonObject("error");
        assertThat(error.getString("param")).isEqualTo(RelayPolicy.SCRUBBED);
        assertThat(error.getString("message")).isEqualTo("Invalid value: " + RelayPolicy.SCRUBBED + " is not a voice.");
        assertThat(error.getJsonObject("details").getJsonArray("keys").getString(0)).isEqualTo("Bearer " + RelayPolicy.SCRUBBED);
        assertThat(error.getString("code")).isEqualTo("invalid_value");
        // the key as OpenAI quotes it (masked but for its last 4 characters) in a close reason
        String masked = "sk-proj-" + "*".repeat(20) + key.substring(key.length() - 4);
        socket.send(new JsonObject().put("type", "fake.close").put("code", 4001).put("reason", "key " + masked + " revoked"));
        socket.awaitClosed();
        assertThat(socket.closeCode).isEqualTo(4001);
        assertThat(socket.closeReason).isEqualTo("key " + RelayPolicy.SCRUBBED + " revoked");
    }

    @Test
    void upstreamCloseCodeAndReasonAreMirrored() {
        for (int code : new int[] {4001, 1001, 1000}) {
            TestSocket socket = open(ticket());
            socket.awaitEvent("session.created");
            socket.send(new JsonObject().put("type", "fake.close").put("code", code).put("reason", "bye " + code));
            socket.awaitClosed();
            assertThat(socket.closeCode).isEqualTo(code);
            assertThat(socket.closeReason).isEqualTo("bye " + code);
        }
    }

    @Test
    void upstreamDroppingTheConnectionBecomes1011() {
        TestSocket socket = open(ticket());
        socket.awaitEvent("session.created");
        socket.send(new JsonObject().put("type", "fake.drop"));
        socket.awaitClosed();
        assertThat(socket.closeCode).isEqualTo(1011);
    }

    @Test
    void upstreamRefusingTheHandshakeBecomes1011WithAReason() {
        fake.handshakeStatus(403);
        TestSocket socket = open(ticket());
        socket.awaitClosed();
        assertThat(socket.closeCode).isEqualTo(1011);
        assertThat(socket.closeReason).contains("refused the handshake").contains("403");
    }

    @Test
    void clientCloseIsPassedUpstream() {
        TestSocket socket = open(ticket());
        socket.awaitEvent("session.created");
        socket.ws.close((short) 4002, "done here");
        await().atMost(TestSocket.WAIT).until(() -> fake.connections().get(0).getBoolean("closed"));
        assertThat(fake.connections().get(0).getInteger("closeCode")).isEqualTo(4002);
    }

    @Test
    void closeCodesAClientChoosesCountAsOtherInTheMetrics() {
        String other = "gateway_realtime_sessions_closed_total{code=\"other\"}";
        double before = metric(other);
        assertThat(Management.given().get("/q/metrics").asString()).contains("gateway_realtime_sessions_closed_total{code=\"1013\"}"); // registered at boot
        for (int code : new int[] {4321, 3999}) {
            TestSocket socket = open(ticket());
            socket.awaitEvent("session.created");
            socket.ws.close((short) code, "my own code");
            socket.awaitClosed();
        }
        await().atMost(TestSocket.WAIT).until(() -> metric(other) == before + 2);
        assertThat(Management.given().get("/q/metrics").asString()).doesNotContain("code=\"4321\"").doesNotContain("code=\"3999\"");
    }

    @Test
    void clientVanishingClosesUpstream() {
        TestSocket socket = open(ticket());
        socket.awaitEvent("session.created");
        FakeOpenAiUpstream.drop(socket.ws);
        await().atMost(TestSocket.WAIT).until(() -> fake.connections().get(0).getBoolean("closed"));
    }

    // ---- secrets

    @Test
    void neitherTicketsNorKeysAreLogged() {
        try (LogCapture logs = new LogCapture()) {
            String ticket = ticket();
            TestSocket socket = open(ticket);
            socket.awaitEvent("session.created");
            socket.close();
            socket.awaitClosed();
            assertThatThrownBy(() -> open(ticket)).isInstanceOf(UpgradeRejectedException.class);
            fake.rejectKeys(true);
            TestSocket rejected = open(ticket());
            rejected.awaitClosed();
            await().atMost(TestSocket.WAIT).until(() -> logs.all().contains("Realtime session ended"));
            String all = logs.all();
            assertThat(all).contains("Realtime session started");
            assertThat(all).doesNotContain(ticket).doesNotContain(ticket.substring(3, 40))
                    .doesNotContain(FakeOpenAiUpstream.API_KEY).doesNotContain("Incorrect API key");
            // RelaySession asserts (assertions are on in tests) that both legs run on one event loop
            assertThat(all).doesNotContain("off the session's event loop");
        }
    }
}
