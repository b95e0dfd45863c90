package io.realtimegateway.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.testing.Authentications;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.realtimegateway.testing.LogCapture;
import io.realtimegateway.testing.Management;

/**
 * The console in prod (the {@code prod} config profile, the preflight not enforced): behind an admin key
 * ({@code GATEWAY_ADMIN_API_KEYS}) as {@code AdminAuthenticator} decides it, with feed tickets that live one second.
 */
@QuarkusTest
@TestProfile(ConsoleAdminTest.AdminProfile.class)
class ConsoleAdminTest {

    static final String ADMIN_KEY = "console-admin-test-key-0123456789abcdef";
    /** Where browsers reach the feed behind an ingress (GATEWAY_CONSOLE_FEED_URL). */
    static final String FEED_URL = "wss://gateway.example.test/console/feed";
    static final String CALLER_KEY = "console-caller-test-key-0123456789abcdef";

    public static class AdminProfile implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return LiveKitTestConfig.valid("gateway.admin.api-keys", "another-admin-key-0123456789abcdefghij, " + ADMIN_KEY,
                    "gateway.auth.api-keys", CALLER_KEY,
                    "gateway.openai.api-key", LiveKitTestConfig.OPENAI_KEY,
                    "gateway.preflight.online", "false",
                    "gateway.preflight.enforce", "false",
                    "gateway.console.ticket-ttl", "1s",
                    "gateway.console.feed-url", FEED_URL);
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    Instance<BasicWebSocketConnector> connectors;

    @Inject
    Authentications authentications;

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withoutTheKeyThePageAsksForItAndTheApiRefuses() {
        Management.given().get("/console").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Basic realm="))
                .contentType("application/problem+json");
        Management.given().get("/console/api/state").then().statusCode(401);
        Management.given().header("X-Console", "1").post("/console/api/ticket").then().statusCode(401);
    }

    @Test
    void aTokenCallersKeyIsNotAnAdminKey() {
        Management.given().header("Authorization", "Bearer " + CALLER_KEY).get("/console/api/state").then().statusCode(403)
                .body("type", containsString("admin-required"));
        Management.given().header("Authorization", basic(CALLER_KEY)).get("/console").then().statusCode(403);
    }

    @Test
    void aWrongKeyIsRefusedWithoutQuotingIt() {
        String body = Management.given().header("Authorization", "Bearer not-the-admin-key-0123456789abcdefgh").get("/console/api/state")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Basic realm="))
                .body("detail", containsString("admin key")).extract().asString();
        assertThat(body).doesNotContain("not-the-admin-key");
        Management.given().header("Authorization", basic("wrong")).get("/console").then().statusCode(401);
    }

    @Test
    void everyConsoleActionIsAuditedByWhoWhatAndAnswerNeverTheKey() {
        try (LogCapture logs = new LogCapture()) {
            Management.given().header("Authorization", basic(ADMIN_KEY)).header("X-Console", "1").post("/console/api/ticket").then().statusCode(200);
            Management.given().header("Authorization", "Bearer " + ADMIN_KEY).post("/console/api/checks").then().statusCode(403);
            // Written when the answer has been sent, so possibly just after the client read it.
            await().atMost(Duration.ofSeconds(10)).until(() -> logs.lines().stream().filter(l -> l.contains("console action:")).count() >= 2);
            List<String> audit = logs.lines().stream().filter(l -> l.contains("console action:")).toList();
            assertThat(audit).hasSize(2);
            assertThat(audit.get(0)).contains("admin=admin:" + Fingerprint.sha256Prefix(ADMIN_KEY), "action=POST /console/api/ticket", "status=200");
            assertThat(audit.get(1)).contains("action=POST /console/api/checks", "status=403");
            assertThat(logs.all()).doesNotContain(ADMIN_KEY);
        }
    }

    @Test
    void theKeyWorksAsBearerAndAsBasicPassword() {
        Management.given().header("Authorization", "Bearer " + ADMIN_KEY).get("/console/api/state").then().statusCode(200)
                .body("access", equalTo("admin"));
        Management.given().header("Authorization", basic(ADMIN_KEY)).get("/console").then().statusCode(200)
                .body(containsString("realtime-gateway console"));
    }

    @Test
    void anExpiredTicketIsRefused() throws InterruptedException {
        String ticket = Management.given().header("Authorization", "Bearer " + ADMIN_KEY).header("X-Console", "1").post("/console/api/ticket")
                .then().statusCode(200).extract().path("ticket");
        Thread.sleep(1500); // the profile's ticket lifetime is 1 s
        assertThatThrownBy(() -> new FeedClient(connectors.get(), base, ticket))
                .satisfies(e -> assertThat(ConsoleFeedTest.rejectedStatus(e)).isEqualTo(401));
    }

    @Test
    void aFreshTicketOpensTheFeed() {
        String ticket = Management.given().header("Authorization", basic(ADMIN_KEY)).header("X-Console", "1").post("/console/api/ticket")
                .then().statusCode(200).body("feed_url", equalTo(FEED_URL)).extract().path("ticket");
        try (FeedClient client = new FeedClient(connectors.get(), base, ticket)) {
            assertThat(client.await("snapshot").getJsonObject("state").getString("access")).isEqualTo("admin");
        }
    }

    @Test
    void theLiveKitTryItNeedsTheAdminKey() {
        Management.given().header("X-Console", "1").post("/console/api/try/livekit").then().statusCode(401)
                .body(not(containsString("eyJ")));
        Management.given().header("Authorization", "Bearer " + CALLER_KEY).header("X-Console", "1").post("/console/api/try/livekit")
                .then().statusCode(403).body("type", containsString("admin-required"));
        Management.given().header("Authorization", basic(ADMIN_KEY)).post("/console/api/try/livekit").then().statusCode(403)
                .body("type", containsString("console-header-required"));
        String token = Management.given().header("Authorization", basic(ADMIN_KEY)).header("X-Console", "1").post("/console/api/try/livekit")
                .then().statusCode(200).body("join.server_url", equalTo(LiveKitTestConfig.URL)).extract().path("join.token");
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    }

    @Test
    void theManagementInterfaceAuthenticatesWithTheGatewaysMechanismBasicIncluded() {
        String admin = "admin:" + Fingerprint.sha256Prefix(ADMIN_KEY);
        int before = authentications.successes(admin);
        Management.given().header("Authorization", basic(ADMIN_KEY)).get("/console/api/state").then().statusCode(200);
        Management.given().header("Authorization", "Bearer " + ADMIN_KEY).get("/console/api/state").then().statusCode(200);
        // Quarkus Security made the admin identity of both requests, once each: the console does not authenticate by hand
        assertThat(authentications.successes(admin) - before).isEqualTo(2);
        // the console's paths take the admin key on the management interface only; the public port has no console
        given().header("Authorization", basic(ADMIN_KEY)).get("/console/api/state").then().statusCode(404);
        given().get("/console").then().statusCode(404);
        assertThat(authentications.successes(admin) - before).isEqualTo(2);
    }

    @Test
    void healthAndMetricsOnTheManagementInterfaceStayOpen() {
        Management.given().get("/q/health/live").then().statusCode(200);
        Management.given().get("/q/metrics").then().statusCode(200);
        // a credential there is not read, so a wrong one is no refusal either
        Management.given().header("Authorization", "Bearer not-the-admin-key-0123456789abcdefgh").get("/q/health/live").then().statusCode(200);
    }

    @Test
    void anAdminEndpointRefusesACallerWithoutTheAdminRoleWithAProblem() {
        for (String path : new String[] {"/api/livekit-token/test", "/api/realtime/usage"}) {
            given().header("Authorization", "Bearer " + CALLER_KEY).queryParam("identity", "x").get(path).then().statusCode(403)
                    .contentType("application/problem+json").body("type", containsString("admin-required"));
            given().get(path).then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", startsWith("Bearer"));
            given().header("Authorization", "Bearer " + ADMIN_KEY).queryParam("identity", "x").get(path).then().statusCode(200);
        }
        // the admin key is no caller credential
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/api/livekit-token").then().statusCode(401)
                .contentType("application/problem+json");
    }
}
