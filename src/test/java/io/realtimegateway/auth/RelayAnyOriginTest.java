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
import io.vertx.core.json.JsonObject;

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

    @Test
    void theSwitchDoesNotOpenTheWebRtcSdpExchange() {
        // A browser POST is a CORS request: a page the CORS list does not allow could not read the answer anyway.
        String ticket = given().post("/api/realtime/client-secret").then().statusCode(200).extract().path("value");
        BrowserOrigins.postOffer(ticket, BrowserOrigins.EVIL).then().statusCode(403).contentType("application/problem+json");
        String location = BrowserOrigins.postOffer(ticket, BrowserOrigins.APP).then().statusCode(201)
                .header("Access-Control-Allow-Origin", BrowserOrigins.APP).extract().header("Location");
        FakeOpenAiUpstream.control().browserSends(location.substring(location.lastIndexOf('/') + 1),
                new JsonObject().put("type", "fake.hangup"));
    }
}
