package io.realtimegateway.bench;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.vertx.core.json.JsonObject;

/**
 * The product's build (no {@code gateway.bench.static-endpoint} at package time) has no static endpoint bean and no
 * route: this fails if the build property stops gating the class. {@link StaticEndpointBenchBuildTest} shows the bench
 * build serves it.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class) // the default profile's boot is the one with the fake: one boot for all
class StaticEndpointTest {

    @Test
    void theProductBuildHasNoBeanAndNoRoute() {
        assertThat(Arc.container().select(StaticEndpoint.class).isResolvable()).isFalse();
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
