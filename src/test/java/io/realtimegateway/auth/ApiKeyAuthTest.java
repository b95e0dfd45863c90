package io.realtimegateway.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.livekit.TokenAssertions;
import io.realtimegateway.testing.Authentications;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.realtimegateway.testing.Profiles;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
@TestProfile(Profiles.ApiKeyCallers.class)
class ApiKeyAuthTest {

    @Inject
    Authentications authentications;

    @Test
    void theCredentialIsVerifiedOncePerRequestByQuarkusSecurity() {
        String caller = "api-key:" + Fingerprint.sha256Prefix(AuthProfiles.API_KEY_1);
        int before = authentications.successes(caller);
        given().header("Authorization", "Bearer " + AuthProfiles.API_KEY_1).contentType(ContentType.JSON).body("{\"room_name\":\"lobby\"}")
                .when().post("/api/livekit/token").then().statusCode(201);
        given().header("Authorization", "Bearer " + AuthProfiles.API_KEY_1).when().get("/api/livekit-token").then().statusCode(200);
        // once per request, a body or not: no second authentication by hand in the resource
        assertThat(authentications.successes(caller) - before).isEqualTo(2);
    }

    @Test
    void missingAuthorizationIs401ProblemWithBearerChallenge() {
        for (String path : new String[] { "/api/livekit-token", "/api/livekit-token/test" }) {
            given().when().get(path).then()
                    .statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .body("status", equalTo(401)).body("title", equalTo("Unauthorized"));
        }
        given().contentType(ContentType.JSON).body("{}").when().post("/api/livekit/token").then()
                .statusCode(401).header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void wrongKeyIsRejectedWithoutEchoingIt() {
        String presented = "not-a-configured-key-0123456789abcdefgh";
        Response response = given().header("Authorization", "Bearer " + presented).when().get("/api/livekit-token");
        response.then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", equalTo("Bearer realm=\"realtime-gateway\", error=\"invalid_token\""));
        assertThat(response.asString()).doesNotContain(presented);
        // A prefix of a real key is not the key.
        given().header("Authorization", "Bearer " + AuthProfiles.API_KEY_1.substring(0, 20)).when().get("/api/livekit-token")
                .then().statusCode(401);
    }

    @Test
    void otherSchemesAreRejected() {
        Response response = given().header("Authorization", "Basic " + AuthProfiles.API_KEY_1).when().get("/api/livekit-token");
        response.then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"));
        assertThat(response.asString()).doesNotContain(AuthProfiles.API_KEY_1);
    }

    @Test
    void everyConfiguredKeyWorksOnEveryEndpoint() {
        for (String key : new String[] { AuthProfiles.API_KEY_1, AuthProfiles.API_KEY_2 }) {
            Response post = given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                    .body("{\"participant_identity\":\"alice\"}").when().post("/api/livekit/token");
            post.then().statusCode(201).header("Cache-Control", "no-store");
            assertThat(TokenAssertions.verifiedClaims(post.path("participant_token"), LiveKitTestConfig.SECRET).get("sub").asText())
                    .isEqualTo("alice");
            given().header("Authorization", "Bearer " + key).when().get("/api/livekit-token").then().statusCode(200);
        }
    }

    @Test
    void diagnosticsNameTheCallerByFingerprintAndReportTheKeyCheck() {
        Response response = given().header("Authorization", "Bearer " + AuthProfiles.API_KEY_2).when().get("/api/livekit-token/test");
        response.then().statusCode(200)
                .body("auth.mode", equalTo("api-key"))
                .body("auth.caller", equalTo("api-key:" + Fingerprint.sha256Prefix(AuthProfiles.API_KEY_2)));
        assertThat(response.jsonPath().getList("preflight.checks.findAll { it.name == 'auth.api-keys' }.status")).containsExactly("OK");
        // Outside prod, diagnostics-include-token=true adds the sample token itself.
        assertThat(TokenAssertions.verifiedClaims(response.path("sample_token.token"), LiveKitTestConfig.SECRET).get("iss").asText())
                .isEqualTo(LiveKitTestConfig.API_KEY);
        assertThat(response.asString()).doesNotContain(AuthProfiles.API_KEY_1).doesNotContain(AuthProfiles.API_KEY_2)
                .doesNotContain(LiveKitTestConfig.SECRET);
    }
}
