package io.realtimegateway.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.Profiles;
import io.restassured.http.ContentType;

/** Well-formed JSON of the wrong types gets problem+json naming the field, in the shape of the validation errors. */
@QuarkusTest
@TestProfile(Profiles.Tokens.class)
class WrongJsonTypesTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void tokenFieldOfTheWrongTypeIsNamed() {
        given().contentType(ContentType.JSON).body("{\"room_name\":42,\"participant_identity\":[\"a\"]}")
                .post("/api/livekit/token")
                .then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("https://realtime-gateway.dev/problems/invalid-request"))
                .body("status", equalTo(400))
                .body("errors.field", hasItem("room_name"))
                .body("errors.message", hasItem("expected a string"));
    }

    @Test
    void nestedFieldsAreNamedWithTheirPath() {
        given().contentType(ContentType.JSON).body("{\"participant_attributes\":{\"role\":{\"x\":1}}}")
                .post("/api/livekit/token")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("participant_attributes.role"))
                .body("errors[0].message", equalTo("expected a string"));
    }

    @Test
    void aBodyThatIsNotAnObjectIsNamedAsTheBody() {
        given().contentType(ContentType.JSON).body("[null, null]")
                .post("/api/livekit/token")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("body"))
                .body("errors[0].message", equalTo("expected an object"));
    }

    @Test
    void ticketRequestOfTheWrongShapeIsProblemJsonToo() {
        given().contentType(ContentType.JSON).body("{\"session\":[1]}")
                .post("/api/realtime/client-secret")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("session"))
                .body("errors[0].message", equalTo("expected an object"));
    }
}
