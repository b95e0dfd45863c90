package io.realtimegateway.docs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.WithTestResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.Management;

/**
 * The metrics and API-docs endpoints ({@code /q/metrics} in Prometheus format, {@code /q/openapi}, {@code /q/swagger-ui})
 * keep answering on the management interface (startup trimming must not drop them), and never on the public port.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class) // the default profile's boot is the one with the fake: one boot for all
class ObservabilityEndpointsTest {

    @Test
    void metricsArePrometheusTextWithJvmAndHttpMeters() {
        given().get("/api/does-not-exist"); // one request, so that the HTTP server meters exist
        Management.given().accept("text/plain").when().get("/q/metrics").then().statusCode(200) // what a Prometheus scraper asks for
                .contentType(containsString("text/plain"))
                .body(containsString("# TYPE jvm_memory_used_bytes gauge"))
                .body(containsString("http_server_requests_seconds_count"));
    }

    @Test
    void openApiDocumentDescribesTheTokenEndpointInYamlAndJson() {
        Management.given().when().get("/q/openapi").then().statusCode(200)
                .body(containsString("openapi: 3.")).body(containsString("/api/livekit/token:"));
        Management.given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .contentType(containsString("json")).body(containsString("\"/api/livekit/token\""));
    }

    @Test
    void swaggerUiIsServed() {
        Management.given().when().get("/q/swagger-ui/").then().statusCode(200)
                .contentType(containsString("text/html")).body(containsString("swagger-ui"));
    }

    @Test
    void thePublicPortServesNeitherMetricsNorApiDocs() {
        for (String path : new String[] { "/q/metrics", "/q/openapi", "/q/swagger-ui/" }) {
            given().when().get(path).then().statusCode(404);
        }
    }
}
