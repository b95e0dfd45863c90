package io.realtimegateway.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.Management;
import io.realtimegateway.testing.Profiles;
import io.restassured.response.Response;

/**
 * The probe paths the deployment files and the README name are served by the app itself, on the management port
 * only, and with a valid
 * configuration each answers 200 UP, so the compose healthcheck passes. {@link HealthcheckPathNotReadyTest} is the
 * same with a broken one.
 */
@QuarkusTest
@TestProfile(Profiles.Tokens.class)
class HealthcheckPathTest {

    private static final Pattern GET_PATH = Pattern.compile("GET (\\S+) HTTP/1\\.0");

    /** The path the compose healthcheck asks for. */
    static String composeHealthcheckPath() {
        Matcher m = GET_PATH.matcher(GatewayHealthcheck.script());
        assertThat(m.find()).as("the healthcheck sends a GET").isTrue();
        return m.group(1);
    }

    @Test
    void composeHealthcheckPathIsTheReadinessEndpoint() {
        assertThat(composeHealthcheckPath()).isEqualTo("/q/health/ready");
        assertHealth(composeHealthcheckPath(), 200, "UP");
    }

    @Test
    void kubernetesProbePathsAreUp() {
        assertHealth("/q/health/live", 200, "UP");
        assertHealth("/q/health/started", 200, "UP");
    }

    @Test
    void healthcheckScriptPassesAgainstTheReadyApp() throws Exception {
        assertThat(GatewayHealthcheck.runAgainst(Management.port())).as("healthcheck exit code").isZero();
    }

    @Test
    void thePublicPortServesNoManagementEndpoint() {
        for (String path : new String[] { "/q/health/ready", "/q/health/live", "/q/health/started", "/q/health", "/q/metrics" }) {
            assertThat(given().get(path).statusCode()).as("GET %s on the public port", path).isEqualTo(404);
        }
    }

    /** {@code path} answers exactly {@code status} with this overall health status. */
    static void assertHealth(String path, int status, String health) {
        Response response = Management.given().get(path);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.asString()).isEqualTo(status);
        assertThat(response.jsonPath().getString("status")).as("GET %s status", path).isEqualTo(health);
    }
}
