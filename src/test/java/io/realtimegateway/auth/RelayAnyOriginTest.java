package io.realtimegateway.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.vertx.core.Vertx;

/** GATEWAY_CORS_RELAY_ANY_ORIGIN=true: the relay accepts any Origin; HTTP CORS still follows GATEWAY_CORS_ORIGINS. */
@QuarkusTest
@TestProfile(BrowserOrigins.ListedRelayAny.class)
@WithTestResource(FakeOpenAiUpstream.class)
class RelayAnyOriginTest {

    @TestHTTPResource("/v1/realtime")
    URI relay;

    @Inject
    Vertx vertx;

    @Test
    void anyOriginMayOpenTheRelay() {
        String ticket = given().post("/api/realtime/client-secret").then().statusCode(200).extract().path("value");
        assertThat(BrowserOrigins.upgrade(vertx, relay, ticket, BrowserOrigins.EVIL).status()).isEqualTo(101);
        given().header("Origin", BrowserOrigins.EVIL).contentType("application/json").body("{}").when().post("/api/livekit/token")
                .then().statusCode(403).header("Access-Control-Allow-Origin", nullValue());
    }
}
