package io.realtimegateway.deploy;

import static io.realtimegateway.deploy.HealthcheckPathTest.assertHealth;
import static io.realtimegateway.deploy.HealthcheckPathTest.composeHealthcheckPath;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.realtimegateway.testing.Management;

/**
 * With a FAIL in the report (an http:// LIVEKIT_URL) the compose healthcheck's path answers 503 DOWN and the script
 * fails, while liveness and the startup probe stay 200 UP: a misconfigured gateway is kept out of traffic, not
 * restarted in a loop.
 */
@QuarkusTest
@TestProfile(LiveKitTestConfig.HttpUrl.class)
class HealthcheckPathNotReadyTest {

    @Test
    void composeHealthcheckPathIsDown() {
        assertHealth(composeHealthcheckPath(), 503, "DOWN");
    }

    @Test
    void kubernetesLivenessAndStartupStayUp() {
        assertHealth("/q/health/live", 200, "UP");
        assertHealth("/q/health/started", 200, "UP");
    }

    @Test
    void healthcheckScriptFailsAgainstTheNotReadyApp() throws Exception {
        assertThat(GatewayHealthcheck.runAgainst(Management.port())).as("healthcheck exit code").isNotZero();
    }
}
