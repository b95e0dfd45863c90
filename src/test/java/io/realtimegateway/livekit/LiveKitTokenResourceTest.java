package io.realtimegateway.livekit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.realtimegateway.testing.Profiles;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
@TestProfile(Profiles.Tokens.class)
class LiveKitTokenResourceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PROBLEM = "application/problem+json";

    /** Exactly what livekit-client's TokenSource.endpoint sends: proto field names, snake_case at every level (reference §3.2). */
    private static final String TOKEN_SOURCE_BODY = """
            {"room_name":"demo-room","participant_name":"Alice","participant_identity":"alice",\
            "participant_metadata":"{\\"plan\\":\\"pro\\"}","participant_attributes":{"role":"caller"},\
            "room_config":{"agents":[{"agent_name":"voice-agent","metadata":"{}","deployment":"staging"}]}}""";

    @Test
    void tokenSourceBodyGivesVerifiedTokenWithEveryClaim() throws Exception {
        Response response = post(TOKEN_SOURCE_BODY);
        response.then().statusCode(201).contentType(ContentType.JSON).header("Cache-Control", "no-store")
                .body("server_url", equalTo(LiveKitTestConfig.URL));
        JsonNode claims = claims(response.path("participant_token"));

        assertThat(claims.get("iss").asText()).isEqualTo(LiveKitTestConfig.API_KEY);
        assertThat(claims.get("sub").asText()).isEqualTo("alice");
        assertThat(claims.get("name").asText()).isEqualTo("Alice");
        assertThat(claims.get("metadata").asText()).isEqualTo("{\"plan\":\"pro\"}");
        assertThat(claims.get("attributes")).isEqualTo(MAPPER.readTree("{\"role\":\"caller\"}"));
        assertThat(claims.get("video")).isEqualTo(MAPPER.readTree("""
                {"roomJoin":true,"room":"demo-room","canPublish":true,"canSubscribe":true,"canPublishData":true,\
                "canUpdateOwnMetadata":true,"canPublishSources":["camera","microphone"]}"""));
        assertThat(claims.get("roomConfig")).isEqualTo(MAPPER.readTree("""
                {"agents":[{"agentName":"voice-agent","metadata":"{}","deployment":"staging"}]}"""));
        assertLifetime(claims);
    }

    @Test
    void everyTokenHasItsOwnRandomJti() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Response response = post(TOKEN_SOURCE_BODY);
            response.then().statusCode(201);
            String jti = claims(response.path("participant_token")).get("jti").asText();
            UUID uuid = UUID.fromString(jti);
            assertThat(uuid.version()).as("a random (version 4) UUID").isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(seen.add(jti)).as("jti %s repeated", jti).isTrue();
        }
    }

    @Test
    void camelCaseAliasesAreAcceptedAtEveryLevel() throws Exception {
        Response response = post("""
                {"roomName":"demo-room","participantName":"Alice","participantIdentity":"alice",\
                "participantMetadata":"m","participantAttributes":{"role":"caller"},\
                "roomConfig":{"agents":[{"agentName":"other-agent","attributes":{"k":"v"}}]}}""");
        response.then().statusCode(201);
        JsonNode claims = claims(response.path("participant_token"));
        assertThat(claims.get("sub").asText()).isEqualTo("alice");
        assertThat(claims.get("name").asText()).isEqualTo("Alice");
        assertThat(claims.get("metadata").asText()).isEqualTo("m");
        assertThat(claims.get("video").get("room").asText()).isEqualTo("demo-room");
        assertThat(claims.get("roomConfig")).isEqualTo(MAPPER.readTree("{\"agents\":[{\"agentName\":\"other-agent\",\"attributes\":{\"k\":\"v\"}}]}"));
    }

    @Test
    void emptyObjectGeneratesIdentityAndRoom() {
        Response response = post("{}");
        response.then().statusCode(201).header("Cache-Control", "no-store");
        JsonNode claims = claims(response.path("participant_token"));
        assertThat(claims.get("sub").asText()).matches("user-[a-z0-9]{10}");
        assertThat(claims.get("video").get("room").asText()).matches("room-[a-z0-9]{10}");
        assertThat(claims.has("name")).isFalse();
        assertThat(claims.has("metadata")).isFalse();
        assertThat(claims.has("roomConfig")).isFalse();
        assertLifetime(claims);
    }

    @Test
    void noBodyAtAllWorks() {
        Response response = given().when().post("/api/livekit/token");
        response.then().statusCode(201).header("Cache-Control", "no-store").body("server_url", equalTo(LiveKitTestConfig.URL));
        assertThat(claims(response.path("participant_token")).get("sub").asText()).startsWith("user-");
    }

    @Test
    void agentDispatchOnlyBodyAsTokenSourceSendsIt() throws Exception {
        Response response = post("{\"room_config\":{\"agents\":[{\"agent_name\":\"voice-agent\"}]}}");
        response.then().statusCode(201);
        assertThat(claims(response.path("participant_token")).get("roomConfig"))
                .isEqualTo(MAPPER.readTree("{\"agents\":[{\"agentName\":\"voice-agent\"}]}"));
    }

    @Test
    void agentDispatchFieldsAreBounded() {
        String longText = "d".repeat(300); // over max-name-bytes (256)
        String bigAttributes = "{\"k\":\"" + "v".repeat(5000) + "\"}"; // over max-attributes-bytes (4096)
        post("{\"room_config\":{\"agents\":[{\"agent_name\":\"voice-agent\",\"deployment\":\"" + longText + "\",\"attributes\":"
                + bigAttributes + "}]}}").then()
                .statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("room_config.agents[0].deployment"))
                .body("errors.field", hasItem("room_config.agents[0].attributes"));
    }

    @Test
    void roomConfigEgressIsRefusedNamingTheField() {
        post("{\"room_config\":{\"egress\":{\"room\":{\"file_outputs\":[]}},\"agents\":[]}}").then()
                .statusCode(403).contentType(PROBLEM)
                .body("status", equalTo(403))
                .body("detail", org.hamcrest.Matchers.containsString("room_config.egress"))
                .body("errors.field", hasItem("room_config.egress"));
        post("{\"roomConfig\":{\"maxParticipants\":2}}").then().statusCode(403).body("errors.field", hasItem("room_config.maxParticipants"));
    }

    @Test
    void agentOutsideAllowlistAndUnknownAgentFieldsAreRefused() {
        post("{\"room_config\":{\"agents\":[{\"agent_name\":\"evil-agent\"}]}}").then()
                .statusCode(403).contentType(PROBLEM).body("errors.field", hasItem("room_config.agents[0].agent_name"));
        post("{\"room_config\":{\"agents\":[{\"agent_name\":\"voice-agent\",\"restart_policy\":1}]}}").then()
                .statusCode(403).body("errors.field", hasItem("room_config.agents[0].restart_policy"));
    }

    @Test
    void invalidFieldsGiveFieldErrorsWithSnakeCaseNames() {
        String longIdentity = "é".repeat(129); // 258 bytes in UTF-8, 129 characters
        post("{\"participant_identity\":\"" + longIdentity + "\",\"room_name\":\"bad room\",\"participant_metadata\":\"" + "x".repeat(4097)
                + "\",\"participant_attributes\":{\"k\":\"" + "v".repeat(5000) + "\"}}").then()
                .statusCode(400).contentType(PROBLEM)
                .body("status", equalTo(400))
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("participant_identity", "room_name",
                        "participant_metadata", "participant_attributes"));
        post("{\"participant_identity\":\"a\\u0007b\"}").then().statusCode(400)
                .body("errors[0].field", equalTo("participant_identity"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("control"));
        // CR/LF would let the caller write forged lines into the logs; U+2028 is a line break to many log viewers
        for (String forging : new String[] {"alice\\r\\nINFO forged", "alice\\u2028forged"}) {
            post("{\"participant_identity\":\"" + forging + "\"}").then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("participant_identity"))
                    .body("errors[0].message", org.hamcrest.Matchers.startsWith("must not contain control characters"));
        }
        post("{\"room_config\":{\"agents\":{\"agent_name\":\"voice-agent\"}}}").then().statusCode(400)
                .body("errors[0].field", equalTo("room_config.agents"));
    }

    @Test
    void malformedJsonIsAProblem() {
        post("{\"room_name\":").then().statusCode(400).contentType(PROBLEM).body("title", equalTo("Malformed JSON body"));
    }

    @Test
    void simpleGetUsesUsernameAsIdentityAndName() {
        Response response = given().queryParam("room", "lobby").queryParam("username", "bob").when().get("/api/livekit-token");
        response.then().statusCode(200).contentType(ContentType.JSON).header("Cache-Control", "no-store")
                .body("server_url", equalTo(LiveKitTestConfig.URL))
                .body("expires_in", equalTo((int) Profiles.TOKEN_TTL_SECONDS))
                .body("identity", equalTo("bob"))
                .body("room", equalTo("lobby"));
        JsonNode claims = claims(response.path("token"));
        assertThat(claims.get("iss").asText()).isEqualTo(LiveKitTestConfig.API_KEY);
        assertThat(claims.get("sub").asText()).isEqualTo("bob");
        assertThat(claims.get("name").asText()).isEqualTo("bob");
        assertThat(claims.get("video").get("room").asText()).isEqualTo("lobby");
        assertThat(claims.get("video").get("roomJoin").asBoolean()).isTrue();
        assertLifetime(claims);
    }

    @Test
    void simpleGetGeneratesMissingValuesAndValidatesGivenOnes() {
        given().when().get("/api/livekit-token").then().statusCode(200)
                .body("identity", startsWith("user-")).body("room", startsWith("room-"));
        given().queryParam("room", "a/b").when().get("/api/livekit-token").then()
                .statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("room"));
        given().queryParam("username", "x".repeat(257)).when().get("/api/livekit-token").then()
                .statusCode(400).body("errors[0].field", equalTo("username"));
    }

    @Test
    void diagnosticsShowConfigurationChecksAndDecodedSampleButNoSecretOrToken() {
        Response response = given().queryParam("room", "diag").queryParam("username", "carol").when().get("/api/livekit-token/test");
        response.then().statusCode(200).header("Cache-Control", "no-store")
                .body("livekit.server_url", equalTo(LiveKitTestConfig.URL))
                .body("livekit.signing_key.api_key", equalTo(LiveKitTestConfig.API_KEY))
                .body("livekit.signing_key.secret", startsWith("len=" + LiveKitTestConfig.SECRET.length() + " sha256:"))
                .body("auth.mode", equalTo("none"))
                .body("preflight.checks.name", hasItem("token.policy"))
                .body("preflight.checks.name", hasItem("auth.mode"))
                .body("sample_token.header.alg", equalTo("HS256"))
                .body("sample_token.claims.sub", equalTo("carol"))
                .body("sample_token.claims.iss", equalTo(LiveKitTestConfig.API_KEY))
                .body("sample_token.claims.video.room", equalTo("diag"));
        assertThat(response.jsonPath().getMap("sample_token")).doesNotContainKey("token");
        assertThat(response.asString()).doesNotContain(LiveKitTestConfig.SECRET).doesNotContain("eyJ");
    }

    @Test
    void noResponseEverContainsTheSecret() {
        assertThat(post(TOKEN_SOURCE_BODY).asString()).doesNotContain(LiveKitTestConfig.SECRET);
        assertThat(post("{\"room_config\":{\"egress\":{}}}").asString()).doesNotContain(LiveKitTestConfig.SECRET);
        assertThat(given().when().get("/api/livekit-token").asString()).doesNotContain(LiveKitTestConfig.SECRET);
    }

    private static Response post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/livekit/token");
    }

    private static JsonNode claims(String token) {
        return TokenAssertions.verifiedClaims(token, LiveKitTestConfig.SECRET);
    }

    private static void assertLifetime(JsonNode claims) {
        long nbf = claims.get("nbf").asLong();
        long exp = claims.get("exp").asLong();
        assertThat(exp - nbf).as("exp - nbf = configured TTL").isEqualTo(Profiles.TOKEN_TTL_SECONDS);
        assertThat(nbf).isBetween(Instant.now().getEpochSecond() - 300, Instant.now().getEpochSecond() + 1);
    }
}
