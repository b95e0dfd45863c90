package io.realtimegateway.bench;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The bench build ({@code bench/run.sh} packages with {@code -Dgateway.bench.static-endpoint=true}): a test profile's
 * settings apply when Quarkus builds the application for it, so this is the variant the benchmark measures.
 */
@QuarkusTest
@TestProfile(StaticEndpointBenchBuildTest.BenchBuild.class)
class StaticEndpointBenchBuildTest {

    public static class BenchBuild implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(StaticEndpoint.BUILD_PROPERTY, "true", "gateway.bench.static-body-bytes", "387");
        }
    }

    @Test
    void servesTheFixedBodyOfTheConfiguredSizeWithoutAuthentication() {
        Response response = given().contentType("application/json").body("{\"room_name\":\"r\"}").when().post(StaticEndpoint.PATH);
        response.then().statusCode(201).contentType("application/json").header("Cache-Control", "no-store");
        assertThat(response.asByteArray()).hasSize(387);
    }
}
