package io.realtimegateway.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.livekit.TokenAssertions;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.realtimegateway.testing.Secrets;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * {@code GATEWAY_AUTH_MODE=api-key,jwt}: one boot serves backends with API keys and end users with JWTs. A JWT-shaped
 * credential is verified as a JWT only, anything else as an API key only, and each is refused as in its own mode.
 */
@QuarkusTest
@TestProfile(AuthProfiles.ApiKeyAndJwt.class)
class ApiKeyAndJwtAuthTest {

    private static String jwt(String subject, String secret) {
        return JwtAuthTest.callerJwt(subject, AuthProfiles.JWT_ISSUER, AuthProfiles.JWT_AUDIENCE, secret, Instant.now().plusSeconds(300));
    }

    @Test
    void bothKindsOfCallerAreAcceptedOnOneBoot() {
        given().header("Authorization", "Bearer " + AuthProfiles.API_KEY_2).contentType(ContentType.JSON).body("{\"participant_identity\":\"agent-1\"}")
                .when().post("/api/livekit/token").then().statusCode(201);
        given().header("Authorization", "Bearer " + jwt("alice", AuthProfiles.JWT_SECRET)).contentType(ContentType.JSON).body("{}")
                .when().post("/api/livekit/token").then().statusCode(201);
    }

    @Test
    void aJwtCallersIdentityIsBoundAndAnApiKeyCallerPicksIt() {
        Response user = given().header("Authorization", "Bearer " + jwt("alice", AuthProfiles.JWT_SECRET)).contentType(ContentType.JSON)
                .body("{}").when().post("/api/livekit/token");
        user.then().statusCode(201);
        assertThat(TokenAssertions.verifiedClaims(user.path("participant_token"), LiveKitTestConfig.SECRET).get("sub").asText()).isEqualTo("alice");
        given().header("Authorization", "Bearer " + jwt("alice", AuthProfiles.JWT_SECRET)).contentType(ContentType.JSON)
                .body("{\"participant_identity\":\"mallory\"}").when().post("/api/livekit/token").then().statusCode(403);
        // A backend is trusted to name the participant, as in api-key mode.
        Response backend = given().header("Authorization", "Bearer " + AuthProfiles.API_KEY_1).contentType(ContentType.JSON)
                .body("{\"participant_identity\":\"agent-7\"}").when().post("/api/livekit/token");
        backend.then().statusCode(201);
        assertThat(TokenAssertions.verifiedClaims(backend.path("participant_token"), LiveKitTestConfig.SECRET).get("sub").asText())
                .isEqualTo("agent-7");
    }

    @Test
    void eachVerifierRefusesAsInItsOwnMode() {
        given().header("Authorization", "Bearer " + Secrets.random(40)).contentType(ContentType.JSON).body("{}")
                .when().post("/api/realtime/client-secret").then().statusCode(401).contentType("application/problem+json")
                .body("detail", equalTo("The bearer API key is not accepted."));
        given().header("Authorization", "Bearer " + jwt("alice", Secrets.random(40))).contentType(ContentType.JSON).body("{}")
                .when().post("/api/realtime/client-secret").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer realm=\"realtime-gateway\", error=\"invalid_token\""))
                .body("detail", startsWith("The bearer JWT is not valid"));
    }

    @Test
    void theDiagnosticsNameBothModes() {
        Response response = given().header("Authorization", "Bearer " + AuthProfiles.API_KEY_1).when().get("/api/livekit-token/test");
        response.then().statusCode(200).body("auth.mode", equalTo("api-key,jwt"));
        assertThat(response.jsonPath().getList("preflight.checks.findAll { it.name.startsWith('auth.') }.status")).containsOnly("OK")
                .hasSizeGreaterThanOrEqualTo(5); // mode, api-keys, jwt-key, jwt-audience, jwt-issuer, jwt-limits
    }
}
