package io.realtimegateway.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.Profiles;

/** The dev profile's CORS default: pages on http://localhost:<any port> and 127.0.0.1 may call; other origins may not. */
@QuarkusTest
@TestProfile(Profiles.Dev.class)
class CorsDevProfileTest {

    @Test
    void localhostPagesOnAnyPortMayCall() {
        for (String origin : new String[] { "http://localhost:3000", "http://localhost:5173", "http://127.0.0.1:8081", "http://localhost" }) {
            given().header("Origin", origin).header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "authorization,content-type").when().options("/api/livekit/token")
                    .then().statusCode(200).header("Access-Control-Allow-Origin", origin);
        }
        for (String origin : new String[] { "https://app.example.com", "http://localhost.example.com", "http://localhost:3000.example.com" }) {
            given().header("Origin", origin).header("Access-Control-Request-Method", "POST").when().options("/api/livekit/token")
                    .then().header("Access-Control-Allow-Origin", nullValue());
        }
    }
}
