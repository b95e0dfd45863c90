package io.realtimegateway.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * GATEWAY_CORS_ORIGINS set: Quarkus's CORS filter answers preflights and real requests for listed origins, the
 * way livekit-client's TokenSource and a page's ticket fetch need; the relay and the WebRTC SDP exchange refuse other
 * origins with 403 problem+json before the ticket is redeemed.
 */
@QuarkusTest
@TestProfile(BrowserOrigins.Listed.class)
@WithTestResource(FakeOpenAiUpstream.class)
class CorsTest {

    @TestHTTPResource("/v1/realtime")
    URI relay;

    @Inject
    Vertx vertx;

    private final FakeOpenAiUpstream.Control fake = FakeOpenAiUpstream.control();

    @BeforeEach
    void reset() {
        fake.reset();
    }

    private static Response preflight(String path, String origin) {
        return given().header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .when().options(path);
    }

    @Test
    void preflightOfTheTokenAndTicketEndpointsAllowsBearerJsonPosts() {
        for (String path : new String[] { "/api/livekit/token", "/api/realtime/client-secret", "/api/livekit-token" }) {
            for (String origin : new String[] { BrowserOrigins.APP, BrowserOrigins.LOCAL }) {
                Response response = preflight(path, origin);
                response.then().statusCode(200).header("Access-Control-Allow-Origin", equalTo(origin))
                        .header("Access-Control-Allow-Credentials", "false");
                assertThat(BrowserOrigins.split(response.header("Access-Control-Allow-Methods"))).contains("GET", "POST");
                assertThat(BrowserOrigins.split(response.header("Access-Control-Allow-Headers")).stream().map(String::toLowerCase))
                        .contains("authorization", "content-type");
            }
        }
    }

    @Test
    void realRequestsCarryTheOriginAndExposeWhatClientsRead() {
        Response token = given().header("Origin", BrowserOrigins.APP).contentType("application/json")
                .body("{\"room_name\":\"r1\",\"participant_identity\":\"alice\"}").when().post("/api/livekit/token");
        token.then().statusCode(201).header("Access-Control-Allow-Origin", BrowserOrigins.APP);
        assertThat(BrowserOrigins.split(token.header("Access-Control-Expose-Headers")))
                .contains("Retry-After", "WWW-Authenticate", "X-Gateway-Refusal");
        given().header("Origin", BrowserOrigins.LOCAL).when().post("/api/realtime/client-secret").then()
                .statusCode(200).header("Access-Control-Allow-Origin", BrowserOrigins.LOCAL);
        // Errors are readable cross-origin too (a page can show the problem's detail).
        given().header("Origin", BrowserOrigins.APP).contentType("application/json").body("{\"room_name\":\"bad room\"}")
                .when().post("/api/livekit/token").then().statusCode(400).contentType("application/problem+json")
                .header("Access-Control-Allow-Origin", BrowserOrigins.APP);
    }

    @Test
    void otherOriginsGetNoCorsHeaders() {
        preflight("/api/livekit/token", BrowserOrigins.EVIL).then().statusCode(403).header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", BrowserOrigins.EVIL).contentType("application/json").body("{}").when().post("/api/livekit/token").then()
                .statusCode(403).header("Access-Control-Allow-Origin", nullValue());
        // A listed origin with a trailing slash is another string: browsers never send one, Quarkus does not match it.
        preflight("/api/livekit/token", BrowserOrigins.APP + "/").then().header("Access-Control-Allow-Origin", nullValue());
        // Server-to-server calls carry no Origin and are unaffected.
        given().contentType("application/json").body("{}").when().post("/api/livekit/token").then().statusCode(201)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void relayRefusesAnOriginNotListedBeforeRedeemingTheTicket() {
        String ticket = given().post("/api/realtime/client-secret").then().statusCode(200).extract().path("value");
        BrowserOrigins.Upgrade refused = BrowserOrigins.upgrade(vertx, relay, ticket, BrowserOrigins.EVIL);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(refused.body()).contains("\"status\":403", "origin-not-allowed", "GATEWAY_CORS_ORIGINS").doesNotContain(ticket);
        assertThat(fake.upgrades()).isZero();
        // The ticket was not spent: the same ticket opens a session from a listed origin.
        BrowserOrigins.Upgrade admitted = BrowserOrigins.upgrade(vertx, relay, ticket, BrowserOrigins.APP);
        assertThat(admitted.status()).isEqualTo(101);
        assertThat(admitted.firstEvent()).isEqualTo("session.created");
        assertThat(fake.upgrades()).isEqualTo(1);
    }

    @Test
    void relayUpgradesWithoutOriginAreUnaffected() {
        String ticket = given().post("/api/realtime/client-secret").then().statusCode(200).extract().path("value");
        BrowserOrigins.Upgrade admitted = BrowserOrigins.upgrade(vertx, relay, ticket, null);
        assertThat(admitted.status()).isEqualTo(101);
        assertThat(admitted.firstEvent()).isEqualTo("session.created");
    }

    @Test
    void aRefusedOriginDoesNotMaskATicketProblem() {
        // Origin first: a bad origin is 403 whatever the ticket; a listed origin with a bad ticket is the usual 401.
        assertThat(BrowserOrigins.upgrade(vertx, relay, "ek_forged", BrowserOrigins.EVIL).status()).isEqualTo(403);
        BrowserOrigins.Upgrade unauthorized = BrowserOrigins.upgrade(vertx, relay, "ek_forged", BrowserOrigins.APP);
        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.contentType()).isEqualTo("application/problem+json");
    }

    @Test
    void callsRefuseAnOriginNotListedBeforeTheTicketIsTouched() {
        String ticket = given().post("/api/realtime/client-secret").then().statusCode(200).extract().path("value");
        Response refused = BrowserOrigins.postOffer(ticket, BrowserOrigins.EVIL);
        refused.then().statusCode(403).contentType("application/problem+json").header("Access-Control-Allow-Origin", nullValue());
        assertThat(refused.asString()).contains("\"status\":403", "origin-not-allowed", "GATEWAY_CORS_ORIGINS").doesNotContain(ticket);
        preflight("/v1/realtime/calls", BrowserOrigins.EVIL).then().statusCode(403).contentType("application/problem+json");
        assertThat(fake.calls()).isEmpty();

        // A listed page: the preflight allows the bearer SDP post, and the same ticket (not spent) gets the answer with
        // the Location it can read.
        Response allowed = preflight("/v1/realtime/calls", BrowserOrigins.APP);
        allowed.then().statusCode(200).header("Access-Control-Allow-Origin", equalTo(BrowserOrigins.APP));
        assertThat(BrowserOrigins.split(allowed.header("Access-Control-Allow-Headers")).stream().map(String::toLowerCase))
                .contains("authorization", "content-type");
        Response answered = BrowserOrigins.postOffer(ticket, BrowserOrigins.APP);
        answered.then().statusCode(201).contentType("application/sdp").header("Access-Control-Allow-Origin", BrowserOrigins.APP);
        assertThat(BrowserOrigins.split(answered.header("Access-Control-Expose-Headers"))).contains("Location");
        assertThat(fake.calls()).hasSize(1);
        hangUp(answered);
    }

    @Test
    void callsWithoutOriginAreUnaffected() {
        String ticket = given().post("/api/realtime/client-secret").then().statusCode(200).extract().path("value");
        Response answered = BrowserOrigins.postOffer(ticket, null);
        answered.then().statusCode(201).header("Access-Control-Allow-Origin", nullValue());
        hangUp(answered);
    }

    /** Ends the call as its browser leaving would, so that it holds no session slot after the test. */
    private void hangUp(Response answered) {
        String location = answered.header("Location");
        fake.browserSends(location.substring(location.lastIndexOf('/') + 1), new JsonObject().put("type", "fake.hangup"));
    }
}
