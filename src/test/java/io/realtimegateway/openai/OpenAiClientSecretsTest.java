package io.realtimegateway.openai;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.LogCapture;
import io.vertx.core.json.JsonObject;

/**
 * {@code POST /v1/realtime/client_secrets}: OpenAI's path and shape, minted upstream with the server key under the
 * server policy (allowed model, server instructions, expiry cut to the configured 5 minutes), OpenAI's answer returned.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class)
@TestProfile(CallTestBase.CallProfile.class)
class OpenAiClientSecretsTest extends CallTestBase {

    @Test
    void theSecretIsMintedUpstreamUnderThePolicyAndOpenAisAnswerReturned() {
        String body = "{\"expires_after\":{\"anchor\":\"created_at\",\"seconds\":3600},"
                + "\"session\":{\"type\":\"realtime\",\"model\":\"gpt-realtime-mini\",\"instructions\":\"Be a pirate.\",\"audio\":{\"output\":{\"voice\":\"marin\"}}}}";
        String value;
        try (LogCapture logs = new LogCapture()) {
            value = given().contentType("application/json").body(body).post("/v1/realtime/client_secrets")
                    .then().statusCode(200)
                    .contentType("application/json")
                    .header("Cache-Control", "no-store")
                    .body("value", startsWith("ek_fake"))
                    .body("session.model", equalTo("gpt-realtime-mini"))
                    .body("session.instructions", equalTo(INSTRUCTIONS))
                    .body("session.object", equalTo("realtime.session"))
                    .extract().path("value");
            assertThat(String.join("\n", logs.lines())).contains("OpenAI client secret minted: caller=anonymous type=realtime model=gpt-realtime-mini expires_in=300s")
                    .doesNotContain(value);
        }
        JsonObject sent = fake.clientSecrets().get(0);
        assertThat(sent.getJsonObject("headers").getString("Authorization")).isEqualTo("Bearer " + FakeOpenAiUpstream.API_KEY);
        assertThat(sent.getJsonObject("headers").getString("OpenAI-Organization")).isEqualTo("org_test123");
        JsonObject request = new JsonObject(sent.getString("body"));
        assertThat(request.getJsonObject("expires_after")).isEqualTo(new JsonObject().put("anchor", "created_at").put("seconds", 300));
        assertThat(request.getJsonObject("session").getString("instructions")).isEqualTo(INSTRUCTIONS);
        assertThat(request.getJsonObject("session").getString("model")).isEqualTo("gpt-realtime-mini");
        assertThat(request.getJsonObject("session").getJsonObject("audio")).as("other options pass").isNotNull();
    }

    @Test
    void anEmptyRequestGetsTheDefaultModelAndTheMaximumExpiry() {
        long now = Instant.now().getEpochSecond();
        long expiresAt = given().post("/v1/realtime/client_secrets").then().statusCode(200)
                .body("session.type", equalTo("realtime"))
                .body("session.model", equalTo("gpt-realtime"))
                .extract().<Number>path("expires_at").longValue();
        assertThat(expiresAt).isBetween(now + 290, now + 310);
        JsonObject request = new JsonObject(fake.clientSecrets().get(0).getString("body"));
        assertThat(request.getJsonObject("expires_after").getInteger("seconds")).isEqualTo(300);
        assertThat(request.getJsonObject("session").getString("instructions")).isEqualTo(INSTRUCTIONS);
    }

    @Test
    void aTranscriptionSessionKeepsItsOwnShape() {
        given().contentType("application/json").body("{\"session\":{\"type\":\"transcription\"}}").post("/v1/realtime/client_secrets")
                .then().statusCode(200).body("session.type", equalTo("transcription"));
        JsonObject session = new JsonObject(fake.clientSecrets().get(0).getString("body")).getJsonObject("session");
        assertThat(session.getString("instructions")).isNull();
        assertThat(session.getString("model")).isNull();
    }

    @Test
    void invalidFieldsAreRefusedWithoutAskingOpenAi() {
        given().contentType("application/json")
                .body("{\"expires_after\":{\"anchor\":\"now\",\"seconds\":5},\"session\":{\"type\":\"realtime\",\"model\":\"gpt-4o\"}}")
                .post("/v1/realtime/client_secrets")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("expires_after.anchor", "expires_after.seconds", "session.model"));
        given().contentType("application/json").body("{\"session\":{\"type\":\"speech\"}}").post("/v1/realtime/client_secrets")
                .then().statusCode(400).body("errors[0].field", equalTo("session.type"));
        given().contentType("application/json").body("[1]").post("/v1/realtime/client_secrets")
                .then().statusCode(400).body("errors[0].field", equalTo("body"));
        given().contentType("application/json").body("{nope").post("/v1/realtime/client_secrets")
                .then().statusCode(400).contentType("application/problem+json");
        assertThat(fake.clientSecrets()).isEmpty();
    }

    @Test
    void openAiRejectingTheServerKeyIsA502ThatQuotesNoKey() {
        fake.rejectKeys(true);
        given().post("/v1/realtime/client_secrets")
                .then().statusCode(502)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_TYPE_BASE + "openai-key-rejected"))
                .body("detail", containsString("OPENAI_API_KEY"))
                .body("detail", not(containsString("Incorrect API key")));
    }
}
