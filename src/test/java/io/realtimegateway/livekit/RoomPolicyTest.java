package io.realtimegateway.livekit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.realtimegateway.testing.Secrets;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/** jwt mode with a room policy from the caller's claims: the rooms claim, the support-{sub} template, metadata and attributes from claims. */
@QuarkusTest
@TestProfile(RoomPolicyTest.Profile.class)
class RoomPolicyTest {

    static final String JWT_SECRET = Secrets.shared("room-policy-jwt-secret");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return LiveKitTestConfig.valid(
                    "gateway.auth.mode", "jwt",
                    "gateway.auth.jwt.secret", JWT_SECRET,
                    "gateway.token.jwt.rooms-claim", "rooms",
                    "gateway.token.jwt.room-template", "support-{sub}",
                    "gateway.token.jwt.metadata-claim", "profile",
                    "gateway.token.jwt.attributes-claim", "attrs");
        }
    }

    private static String user(String subject, Map<String, Object> claims) {
        JwtClaimsBuilder builder = Jwt.subject(subject).expiresAt(Instant.now().plusSeconds(300));
        claims.forEach(builder::claim);
        return builder.signWithSecret(JWT_SECRET);
    }

    private static Response post(String jwt, String body) {
        return given().header("Authorization", "Bearer " + jwt).contentType(ContentType.JSON).body(body).when().post("/api/livekit/token");
    }

    private static JsonNode claims(Response response) {
        return TokenAssertions.verifiedClaims(response.path("participant_token"), LiveKitTestConfig.SECRET);
    }

    @Test
    void theTemplatesRoomAndTheClaimedRoomsAreAllowed() {
        String alice = user("alice", Map.of("rooms", List.of("team-x", "team-y")));
        for (String room : new String[] { "support-alice", "team-x", "team-y" }) {
            Response response = post(alice, "{\"room_name\":\"" + room + "\"}");
            response.then().statusCode(201);
            assertThat(claims(response).path("video").path("room").asText()).isEqualTo(room);
        }
        // No room requested: the template's room.
        assertThat(claims(post(alice, "{}")).path("video").path("room").asText()).isEqualTo("support-alice");
        // A space-separated rooms claim works too, and the simple endpoint follows the same policy.
        String bob = user("bob", Map.of("rooms", "lobby stage"));
        given().header("Authorization", "Bearer " + bob).queryParam("room", "stage").when().get("/api/livekit-token")
                .then().statusCode(200).body("room", equalTo("stage"));
    }

    @Test
    void anyOtherRoomIs403() {
        String alice = user("alice", Map.of("rooms", List.of("team-x")));
        for (String room : new String[] { "support-bob", "team-z", "support-alice2" }) {
            post(alice, "{\"room_name\":\"" + room + "\"}").then().statusCode(403).contentType("application/problem+json")
                    .body("type", equalTo("https://realtime-gateway.dev/problems/room-not-allowed"))
                    .body("errors[0].field", equalTo("room_name"));
        }
        given().header("Authorization", "Bearer " + alice).queryParam("room", "team-z").when().get("/api/livekit-token")
                .then().statusCode(403).body("errors[0].field", equalTo("room"));
    }

    @Test
    void clientMetadataAndAttributesAreDroppedAndClaimsFillThemIn() {
        String plain = user("carol", Map.of());
        JsonNode dropped = claims(post(plain, "{\"room_name\":\"support-carol\",\"participant_metadata\":\"{\\\"role\\\":\\\"admin\\\"}\","
                + "\"participant_attributes\":{\"role\":\"admin\"}}"));
        assertThat(dropped.has("metadata")).isFalse();
        assertThat(dropped.has("attributes")).isFalse();

        String withProfile = user("dave", Map.of("profile", Map.of("plan", "pro"), "attrs", Map.of("tier", "gold")));
        JsonNode filled = claims(post(withProfile, "{\"participant_metadata\":\"forged\",\"participant_attributes\":{\"role\":\"admin\"}}"));
        assertThat(filled.path("metadata").asText()).isEqualTo("{\"plan\":\"pro\"}");
        assertThat(filled.path("attributes").toString()).isEqualTo("{\"tier\":\"gold\"}");
    }

    @Test
    void templatesExpandClaimValues() {
        assertThat(RoomPolicy.expand("support-{sub}", Map.of("sub", "alice"))).contains("support-alice");
        assertThat(RoomPolicy.expand("{org}-{sub}", Map.of("sub", "alice", "org", "acme"))).contains("acme-alice");
        assertThat(RoomPolicy.expand("support-{sub}", Map.of())).isEmpty();
        assertThat(RoomPolicy.expand("fixed", Map.of())).contains("fixed");
    }
}
