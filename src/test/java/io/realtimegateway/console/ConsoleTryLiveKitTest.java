package io.realtimegateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.realtimegateway.testing.LogCapture;
import io.realtimegateway.testing.Management;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/**
 * The LiveKit "try it" of the console (open as in dev): the join token the page joins with, read back by decoding it,
 * livekit-server's verdict (its server unreachable in {@link ConsoleProfile}), the vendored livekit-client the page
 * loads on click, and the page's CSP that lets it reach LIVEKIT_URL. The annotations match {@link ConsoleFeedTest}'s, so
 * both share one application.
 */
@QuarkusTest
@TestProfile(ConsoleProfile.class)
@WithTestResource(FakeOpenAiUpstream.class)
class ConsoleTryLiveKitTest {

    /** ConsoleProfile's LIVEKIT_URL: port 1, where nothing listens. */
    private static final String LIVEKIT_URL = "ws://127.0.0.1:1";

    @Test
    void aJoinTokenForTheTestRoomWithTheUrlBrowsersUseAndTheServersVerdict() throws Exception {
        JsonPath answer;
        try (LogCapture logs = new LogCapture()) {
            answer = Management.given().header("X-Console", "1").post("/console/api/try/livekit").then().statusCode(200)
                    .header("Cache-Control", "no-store")
                    .body("join.server_url", equalTo(LIVEKIT_URL))
                    .body("join.room", equalTo("console-try"))
                    .body("join.identity", matchesPattern("console-[0-9a-f]{6}"))
                    .body("join.api_key", equalTo(LiveKitTestConfig.API_KEY))
                    .body("verdict.ok", equalTo(false))
                    .body("verdict.reason", containsString("unreachable"))
                    .extract().jsonPath();
            String token = answer.getString("join.token");
            assertThat(token).isNotBlank();
            assertThat(logs.all()).as("the join token is never logged").doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        }
        String token = answer.getString("join.token");
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(LiveKitTestConfig.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(parts[2]))).as("signed with the signing key's secret").isTrue();
        assertThat(new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8)).getString("alg")).isEqualTo("HS256");

        JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        assertThat(claims.getString("iss")).isEqualTo(LiveKitTestConfig.API_KEY);
        assertThat(claims.getString("sub")).isEqualTo(answer.getString("join.identity"));
        long nbf = claims.getLong("nbf");
        long exp = claims.getLong("exp");
        assertThat(exp - nbf).as("lifetime in seconds").isPositive().isLessThanOrEqualTo(60);
        assertThat(exp).isGreaterThan(Instant.now().getEpochSecond());
        assertThat(Instant.parse(answer.getString("join.expires_at")).getEpochSecond()).isEqualTo(exp);
        // Join only: no publishing of tracks or data, no admin, create, list or recording grants.
        assertThat(claims.getJsonObject("video")).isEqualTo(new JsonObject()
                .put("roomJoin", true).put("room", "console-try").put("canPublish", false).put("canPublishData", false));
    }

    @Test
    void eachTryIsANewParticipant() {
        String first = Management.given().header("X-Console", "1").post("/console/api/try/livekit").then().statusCode(200).extract().path("join.identity");
        String second = Management.given().header("X-Console", "1").post("/console/api/try/livekit").then().statusCode(200).extract().path("join.identity");
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void livekitClientIsServedFromTheJarAndLoadedOnlyOnClick() {
        Management.given().get("/console/assets/vendor/livekit-client.umd.js").then().statusCode(200)
                .contentType(containsString("javascript"))
                .body(containsString("LivekitClient"));
        Management.given().get("/console/assets/vendor/livekit-client.LICENSE").then().statusCode(404);
        Management.given().get("/console/assets/livekit-client.umd.js").then().statusCode(404);
        Management.given().get("/console").then().statusCode(200).body(not(containsString("livekit-client.umd.js")));
        Management.given().get("/console/assets/console.js").then().statusCode(200)
                .body(containsString("/console/assets/vendor/livekit-client.umd.js"));
    }

    @Test
    void thePageMayConnectToTheLiveKitServersHttpOrigin() {
        // livekit-client asks /rtc/validate there why a join was refused.
        Management.given().get("/console").then().statusCode(200)
                .header("Content-Security-Policy", containsString("connect-src 'self' ws: wss: http://127.0.0.1:1;"))
                .header("Content-Security-Policy", containsString("script-src 'self';"));
    }

    @Test
    void tryItNeedsTheConsoleHeader() {
        Management.given().post("/console/api/try/livekit").then().statusCode(403).body("type", containsString("console-header-required"))
                .body(not(containsString("eyJ")));
    }
}
