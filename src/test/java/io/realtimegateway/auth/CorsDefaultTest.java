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
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.vertx.core.Vertx;

/** GATEWAY_CORS_ORIGINS unset (outside dev): same-origin only over HTTP; the relay has no Origin policy, the ticket protects it. */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class)
class CorsDefaultTest {

    @TestHTTPResource("/v1/realtime")
    URI relay;

    @Inject
    Vertx vertx;

    @Test
    void crossOriginCallsGetNoAccessControlAllowOrigin() {
        // What the browser reports as "No 'Access-Control-Allow-Origin' header is present on the requested resource".
        given().header("Origin", BrowserOrigins.APP).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type").when().options("/api/livekit/token")
                .then().header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", BrowserOrigins.APP).contentType("application/json").body("{}").when().post("/api/livekit/token")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void relayAcceptsAnyOriginWhenNoneAreConfigured() {
        String ticket = given().post("/api/realtime/client-secret").then().statusCode(200).extract().path("value");
        BrowserOrigins.Upgrade admitted = BrowserOrigins.upgrade(vertx, relay, ticket, BrowserOrigins.EVIL);
        assertThat(admitted.status()).isEqualTo(101);
        assertThat(admitted.firstEvent()).isEqualTo("session.created");
    }
}
