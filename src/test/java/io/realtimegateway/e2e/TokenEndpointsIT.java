package io.realtimegateway.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.realtimegateway.e2e.LiveKitServerResource.InjectLiveKit;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The packaged gateway's tokens against a real livekit-server v1.13.5: accepted by /rtc/validate, admitted
 * on the /rtc WebSocket, visible to Twirp ListParticipants, refused for another room or once expired, and
 * good enough for an official LiveKit SDK (server-sdk-go) to join.
 */
@QuarkusIntegrationTest
@WithTestResource(LiveKitServerResource.class)
class TokenEndpointsIT {

    @InjectLiveKit
    LiveKitServerResource.Context lk;

    @Test
    void simpleEndpointTokenIsAcceptedAndJoins() {
        String room = "room-" + E2e.randomAlnum(8);
        String identity = "alice-" + E2e.randomAlnum(6);
        Response response = given()
                .queryParam("room", room).queryParam("username", identity)
                .get("/api/livekit-token")
                .then().statusCode(200).contentType(ContentType.JSON).extract().response();
        assertThat(response.jsonPath().getString("server_url")).isEqualTo(lk.server().wsUrl());
        assertThat(response.jsonPath().getString("room")).isEqualTo(room);
        assertThat(response.jsonPath().getString("identity")).isEqualTo(identity);
        assertThat(response.jsonPath().getLong("expires_in")).isPositive();

        assertAcceptedAndJoins(response.jsonPath().getString("token"), room, identity);
    }

    @Test
    void tokenSourceEndpointTokenIsAcceptedAndJoins() {
        String room = "room-" + E2e.randomAlnum(8);
        String identity = "bob-" + E2e.randomAlnum(6);
        Response response = given().contentType(ContentType.JSON)
                .body(Map.of("room_name", room, "participant_identity", identity, "participant_name", "Bob"))
                .post("/api/livekit/token")
                .then().statusCode(201).contentType(ContentType.JSON).header("Cache-Control", "no-store")
                .extract().response();
        assertThat(response.jsonPath().getString("server_url")).isEqualTo(lk.server().wsUrl());

        assertAcceptedAndJoins(response.jsonPath().getString("participant_token"), room, identity);
    }

    /** (a) /rtc/validate says success; (a) /rtc sends a JoinResponse; (b) ListParticipants shows the participant. */
    private void assertAcceptedAndJoins(String token, String room, String identity) {
        LiveKitApi api = lk.server().api();
        HttpResponse<String> validate = api.validate(token);
        assertThat(validate.statusCode()).as("/rtc/validate: %s", E2e.redact(validate.body(), token)).isEqualTo(200);
        assertThat(validate.body()).isEqualTo("success");

        try (LiveKitApi.SignalJoin join = api.join(token)) {
            assertThat(join.admitted()).as("/rtc upgrade refused with %s", join.refusedStatus()).isTrue();
            assertThat(join.firstFrameIsJoinResponse()).as("first frame is SignalResponse.join").isTrue();
            assertThat(join.firstFrameText()).contains(room, identity);
            assertThat(api.participants(room)).contains(identity);
        }
    }

    @Test
    void tokenForOneRoomDoesNotAdmitToAnother() {
        String roomX = "room-x-" + E2e.randomAlnum(8);
        String roomY = "room-y-" + E2e.randomAlnum(8);
        String identity = "carol-" + E2e.randomAlnum(6);
        String token = given()
                .queryParam("room", roomX).queryParam("username", identity)
                .get("/api/livekit-token").then().statusCode(200).extract().path("token");
        LiveKitApi api = lk.server().api();

        // Room Y exists (someone else is in it) while the room-X token is used.
        try (LiveKitApi.SignalJoin other = api.join(api.joinToken("dave-" + E2e.randomAlnum(6), roomY));
                LiveKitApi.SignalJoin join = api.join(token)) {
            assertThat(other.admitted()).isTrue();
            assertThat(join.admitted()).isTrue();
            assertThat(api.participants(roomX)).contains(identity);
            assertThat(api.participants(roomY)).doesNotContain(identity).isNotEmpty();

            // The join token carries no admin grant: it cannot even list room Y (nor X).
            HttpResponse<String> listY = api.twirp("ListParticipants", token, Map.of("room", roomY));
            assertThat(listY.statusCode()).as(E2e.redact(listY.body(), token)).isEqualTo(401);
        }

        // Rewriting the room claim to Y breaks the signature: the server refuses the token.
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"" + roomX + "\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.replace("\"" + roomX + "\"", "\"" + roomY + "\"").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        HttpResponse<String> validate = api.validate(forged);
        assertThat(validate.statusCode()).isEqualTo(401);
        assertThat(E2e.redact(validate.body(), forged)).contains("signature is invalid");
        try (LiveKitApi.SignalJoin join = api.join(forged)) {
            assertThat(join.admitted()).isFalse();
            assertThat(join.refusedStatus()).isEqualTo(401);
        }
    }

    @Test
    void expiredTokenIsRefused() {
        LiveKitApi api = lk.server().api();
        Instant now = Instant.now();
        // Beyond livekit-server's 60 s leeway.
        String expired = api.mint(Map.of("sub", "erin", "video", Map.of("roomJoin", true, "room", "room-expired")),
                now.minusSeconds(900), now.minusSeconds(120));

        HttpResponse<String> validate = api.validate(expired);
        assertThat(validate.statusCode()).isEqualTo(401);
        assertThat(E2e.redact(validate.body(), expired)).contains("token is expired");
        try (LiveKitApi.SignalJoin join = api.join(expired)) {
            assertThat(join.admitted()).isFalse();
            assertThat(join.refusedStatus()).isEqualTo(401);
        }

        // The same claims, still valid, are accepted: the refusal is about exp alone.
        String fresh = api.mint(Map.of("sub", "erin", "video", Map.of("roomJoin", true, "room", "room-expired")),
                now.minusSeconds(5), now.plusSeconds(300));
        assertThat(api.validate(fresh).statusCode()).isEqualTo(200);
    }

    @Test
    void officialSdkJoinsWithGatewayToken() throws Exception {
        String binary = E2e.runScript(List.of("build-sdk-join.sh"), Map.of(), 30).strip();
        String room = "room-sdk-" + E2e.randomAlnum(8);
        String identity = "sdk-" + E2e.randomAlnum(6);
        Response response = given().contentType(ContentType.JSON)
                .body(Map.of("room_name", room, "participant_identity", identity))
                .post("/api/livekit/token").then().statusCode(201).extract().response();
        String token = response.jsonPath().getString("participant_token");
        String serverUrl = response.jsonPath().getString("server_url");

        ProcessBuilder builder = new ProcessBuilder(binary, "-url", serverUrl, "-hold", "60s").redirectErrorStream(false);
        builder.environment().put("LIVEKIT_TOKEN", token);
        builder.redirectError(E2e.workDir("sdkjoin").resolve("stderr.log").toFile());
        Process sdk = builder.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(sdk.getInputStream(), StandardCharsets.UTF_8));
            String first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (Exception e) {
                    return null;
                }
            }).get(60, TimeUnit.SECONDS);
            assertThat(first).as("sdkjoin's first line").isNotNull().startsWith("JOINED").contains("identity=" + identity, "room=" + room);

            assertThat(lk.server().api().participants(room)).contains(identity);

            sdk.getOutputStream().close(); // tells the fixture to leave
            assertThat(sdk.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(sdk.exitValue()).isZero();
        } finally {
            sdk.destroyForcibly();
        }
    }
}
