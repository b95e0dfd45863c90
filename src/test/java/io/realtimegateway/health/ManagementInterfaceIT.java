package io.realtimegateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import io.realtimegateway.testing.GatewayProcess;
import io.realtimegateway.testing.ProdEnv;

/**
 * The packaged jar in prod: health and metrics only on the management port, the API docs nowhere unless
 * {@code GATEWAY_API_DOCS=true} (then on the management port), and the public port serves none of them.
 */
class ManagementInterfaceIT {

    @Test
    void prodServesHealthAndMetricsOnTheManagementPortOnly() {
        try (GatewayProcess gateway = GatewayProcess.start(ProdEnv.valid())) {
            assertThat(gateway.management("/q/health/ready").statusCode()).as(gateway.redactedOutput()).isEqualTo(200);
            assertThat(gateway.management("/q/health/live").statusCode()).isEqualTo(200);
            assertThat(gateway.management("/q/metrics").body()).contains("# TYPE jvm_memory_used_bytes gauge");
            for (String path : new String[] { "/q/health/ready", "/q/health/live", "/q/metrics", "/q/openapi", "/q/swagger-ui/" }) {
                assertThat(gateway.get(path, null).statusCode()).as("public GET %s", path).isEqualTo(404);
            }
            assertThat(gateway.management("/q/openapi").statusCode()).as("API docs are off in prod").isEqualTo(404);
            assertThat(gateway.management("/q/swagger-ui/").statusCode()).isEqualTo(404);
            assertThat(gateway.awaitManagement()).isNotEqualTo(gateway.awaitListening());
        }
    }

    @Test
    void apiDocsOnTheManagementPortWhenAskedFor() {
        try (GatewayProcess gateway = GatewayProcess.start(ProdEnv.valid().with("GATEWAY_API_DOCS", "true"))) {
            assertThat(gateway.management("/q/openapi").body()).contains("/api/livekit/token:");
            assertThat(gateway.management("/q/swagger-ui/").statusCode()).isEqualTo(200);
            assertThat(gateway.get("/q/openapi", null).statusCode()).isEqualTo(404);
            assertThat(gateway.get("/q/swagger-ui/", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void malformedManagementPortIsANamedFailNotALibraryError() throws IOException {
        GatewayProcess.Result serve = GatewayProcess.run(ProdEnv.valid().with("GATEWAY_MANAGEMENT_PORT", "nine"),
                Files.createTempDirectory("management-it"));
        assertThat(serve.exitCode()).as(serve.output()).isEqualTo(1);
        assertThat(serve.output()).contains("GATEWAY_MANAGEMENT_PORT is not a whole number").doesNotContain("SRCFG").doesNotContain("\tat ");
    }
}
