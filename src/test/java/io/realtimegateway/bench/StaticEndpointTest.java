package io.realtimegateway.bench;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * The benchmark-only static endpoint is no API surface: without {@code gateway.bench.static-endpoint=true} the route
 * does not exist. With it, {@code bench/run.sh} checks the status and the exact body size itself before it measures.
 */
@QuarkusTest
class StaticEndpointTest {

    @Test
    void offByDefault() {
        given().contentType("application/json").body("{}").when().post(StaticEndpoint.PATH).then().statusCode(404);
    }

    @Test
    void theBodyIsJsonOfExactlyTheConfiguredSize() {
        for (int size : new int[] { 13, 14, 100, 387, 4096 }) {
            String body = StaticEndpoint.body(size).toString();
            assertThat(body).hasSize(size);
            assertThat(new JsonObject(body).getString("static")).matches("x*");
        }
        assertThat(StaticEndpoint.body(1).toString()).isEqualTo("{\"static\":\"\"}");
    }
}
