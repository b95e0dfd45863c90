package io.realtimegateway.ticket;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.Profiles;

/** The ticket endpoint uses the same caller authentication as the token endpoints. */
@QuarkusTest
@TestProfile(Profiles.ApiKeyCallers.class)
class ClientSecretAuthTest {

    static final String CALLER_KEY = Profiles.TICKET_CALLER_KEY;

    @Test
    void missingCallerKeyIsRefusedWithProblem() {
        given().post("/api/realtime/client-secret")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void wrongCallerKeyIsRefusedWithoutEcho() {
        String wrong = "wrong-caller-key-0123456789abcdefghijklmn";
        given().header("Authorization", "Bearer " + wrong).post("/api/realtime/client-secret")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body(not(containsString(wrong)));
    }

    @Test
    void validCallerKeyGetsATicket() {
        given().header("Authorization", "Bearer " + CALLER_KEY).post("/api/realtime/client-secret")
                .then().statusCode(200)
                .body("value", startsWith("ek_"))
                .body("session.model", equalTo("gpt-realtime"));
    }

    @Test
    void aTicketNeverAuthenticatesTheApi() {
        String ticket = given().header("Authorization", "Bearer " + CALLER_KEY).post("/api/realtime/client-secret")
                .then().statusCode(200).extract().path("value");
        for (String path : new String[] {"/api/realtime/client-secret", "/v1/realtime/client_secrets"}) {
            given().header("Authorization", "Bearer " + ticket).post(path).then().statusCode(401)
                    .contentType("application/problem+json").body(not(containsString(ticket)));
        }
        given().header("Authorization", "Bearer " + ticket).get("/api/livekit-token").then().statusCode(401)
                .contentType("application/problem+json");
    }
}
