package io.realtimegateway.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.livekit.TokenAssertions;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;

@QuarkusTest
@TestProfile(AuthProfiles.Jwt.class)
@WithTestResource(FakeOpenAiUpstream.class) // the relay is on, so the ticket endpoint answers past its first step
class JwtAuthTest {

    static String callerJwt(String subject, String issuer, String audience, String secret, Instant expiresAt) {
        return Jwt.issuer(issuer).audience(audience).subject(subject).issuedAt(expiresAt.minusSeconds(600))
                .expiresAt(expiresAt).signWithSecret(secret);
    }

    private static String valid(String subject) {
        return callerJwt(subject, AuthProfiles.JWT_ISSUER, AuthProfiles.JWT_AUDIENCE, AuthProfiles.JWT_SECRET, Instant.now().plusSeconds(300));
    }

    @Test
    void validJwtGetsATokenForItsSubject() {
        Response response = given().header("Authorization", "Bearer " + valid("alice")).contentType(ContentType.JSON).body("{}")
                .when().post("/api/livekit/token");
        response.then().statusCode(201);
        assertThat(TokenAssertions.verifiedClaims(response.path("participant_token"), LiveKitTestConfig.SECRET).get("sub").asText())
                .isEqualTo("alice");
        given().header("Authorization", "Bearer " + valid("alice")).queryParam("username", "alice").when().get("/api/livekit-token")
                .then().statusCode(200).body("identity", equalTo("alice"));
    }

    @Test
    void identityIsBoundToTheSubject() {
        given().header("Authorization", "Bearer " + valid("alice")).contentType(ContentType.JSON)
                .body("{\"participant_identity\":\"mallory\"}").when().post("/api/livekit/token").then()
                .statusCode(403).contentType("application/problem+json").body("errors[0].field", equalTo("participant_identity"));
        given().header("Authorization", "Bearer " + valid("alice")).queryParam("username", "mallory").when().get("/api/livekit-token")
                .then().statusCode(403).body("errors[0].field", equalTo("username"));
    }

    @Test
    void aJwtCallerGetsSingleUseTicketsForItsOwnIdentityOnly() {
        given().header("Authorization", "Bearer " + valid("alice")).contentType(ContentType.JSON).body("{\"identity\":\"alice\"}")
                .when().post("/api/realtime/client-secret").then().statusCode(200).body("value", startsWith("ek_"));
        given().header("Authorization", "Bearer " + valid("alice")).contentType(ContentType.JSON).body("{\"identity\":\"alice\",\"reusable\":true}")
                .when().post("/api/realtime/client-secret").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://realtime-gateway.dev/problems/reusable-ticket-not-allowed"));
        given().header("Authorization", "Bearer " + valid("alice")).contentType(ContentType.JSON).body("{\"identity\":\"room-42\"}")
                .when().post("/api/realtime/client-secret").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://realtime-gateway.dev/problems/identity-not-allowed"));
        // A JWT whose sub mimics an API-key caller's id is still an end user.
        given().header("Authorization", "Bearer " + valid("api-key:0123abcd")).contentType(ContentType.JSON)
                .body("{\"identity\":\"room-42\",\"reusable\":true}").when().post("/api/realtime/client-secret").then().statusCode(403);
    }

    @Test
    void aSubjectWithCrLfIs401ProblemJson() {
        String forging = callerJwt("alice\r\nINFO forged", AuthProfiles.JWT_ISSUER, AuthProfiles.JWT_AUDIENCE, AuthProfiles.JWT_SECRET,
                Instant.now().plusSeconds(300));
        given().header("Authorization", "Bearer " + forging).contentType(ContentType.JSON).body("{}").when().post("/api/livekit/token")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer realm=\"realtime-gateway\", error=\"invalid_token\""))
                .body("detail", org.hamcrest.Matchers.containsString("control characters"));
    }

    @Test
    void badJwtsAre401WithoutEchoingThem() {
        Instant later = Instant.now().plusSeconds(300);
        String[] bad = {
                callerJwt("alice", AuthProfiles.JWT_ISSUER, AuthProfiles.JWT_AUDIENCE, AuthProfiles.JWT_SECRET, Instant.now().minusSeconds(3600)),
                callerJwt("alice", "https://other-idp.example.test", AuthProfiles.JWT_AUDIENCE, AuthProfiles.JWT_SECRET, later),
                callerJwt("alice", AuthProfiles.JWT_ISSUER, "someone-else", AuthProfiles.JWT_SECRET, later),
                callerJwt("alice", AuthProfiles.JWT_ISSUER, AuthProfiles.JWT_AUDIENCE, "a-different-secret-0123456789abcdefghijk", later),
                "not.a.jwt",
        };
        for (String jwt : bad) {
            Response response = given().header("Authorization", "Bearer " + jwt).when().get("/api/livekit-token");
            response.then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", startsWith("Bearer realm=\"realtime-gateway\", error=\"invalid_token\""));
            assertThat(response.asString()).doesNotContain(jwt).doesNotContain("alice");
        }
    }
}
