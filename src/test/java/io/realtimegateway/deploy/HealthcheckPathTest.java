package io.realtimegateway.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/** The probe paths the deployment files and the README name are served by the app itself. */
@QuarkusTest
class HealthcheckPathTest {

    private static final Pattern GET_PATH = Pattern.compile("GET (\\S+) HTTP/1\\.0");

    @Test
    void composeHealthcheckPathIsTheReadinessEndpoint() {
        Matcher m = GET_PATH.matcher(GatewayHealthcheck.script());
        assertThat(m.find()).as("the healthcheck sends a GET").isTrue();
        assertHealthEndpoint(m.group(1));
    }

    @Test
    void kubernetesProbePathsExist() {
        assertHealthEndpoint("/q/health/live");
        assertHealthEndpoint("/q/health/started");
    }

    @Test
    void healthcheckScriptAgreesWithTheRunningApp() throws Exception {
        int port = RestAssured.port;
        int status = given().get("/q/health/ready").statusCode();
        int exit = GatewayHealthcheck.runAgainst(port);
        assertThat(exit == 0).as("healthy exactly when readiness answers 200 (it answered %d)", status)
                .isEqualTo(status == 200);
    }

    private static void assertHealthEndpoint(String path) {
        Response response = given().get(path);
        // 503 is a valid answer (a check is DOWN in the test profile); 404 would mean a wrong path.
        assertThat(response.statusCode()).as("GET %s", path).isIn(200, 503);
        assertThat(response.jsonPath().getString("status")).as("GET %s status", path).isIn("UP", "DOWN");
    }
}
