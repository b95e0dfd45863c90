package io.realtimegateway.relay;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.LogCapture;
import io.realtimegateway.testing.Secrets;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * Usage metering and the daily token budget (memory mode; the fake answers every response.create with 30 tokens):
 * a spent budget drops the next {@code response.create} with a {@code budget_exceeded} error event and keeps the
 * session open, refuses new tickets with 429 and the reset time, reaches the identity's other live sessions on their
 * next renewal tick, and is readable by admins at {@code GET /api/realtime/usage}. The end log line carries usage.
 */
@QuarkusTest
@TestProfile(RelayBudgetTest.ThirtyTokens.class)
@WithTestResource(FakeOpenAiUpstream.class)
class RelayBudgetTest extends RelaySocketTestBase {

    static final String ADMIN_KEY = Secrets.shared("budget-admin-key");
    /** One caller per test, so that each starts with an unspent budget. */
    static final String SPENDER = Secrets.shared("budget-spender-key");
    static final String METERED = Secrets.shared("budget-metered-key");

    public static class ThirtyTokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.realtime.budget.tokens-per-day", "30", "gateway.admin.api-keys", ADMIN_KEY,
                    "gateway.state.lease-ttl", "900ms", "gateway.auth.mode", "api-key", "gateway.auth.api-keys", SPENDER + "," + METERED);
        }
    }

    private static JsonObject responseCreate() {
        return new JsonObject().put("type", "response.create").put("event_id", "evt_client_1");
    }

    private static String ticketOf(String callerKey) {
        return given().header("Authorization", "Bearer " + callerKey).contentType("application/json").body("{}")
                .post("/api/realtime/client-secret").then().statusCode(200).extract().path("value");
    }

    private static String identity(String callerKey) {
        return "api-key:" + Fingerprint.sha256Prefix(callerKey);
    }

    private static Response usage(String identity, String key) {
        return given().header("Authorization", "Bearer " + key).queryParam("identity", identity).get("/api/realtime/usage");
    }

    @Test
    void aSpentBudgetStopsResponsesInBandAndTicketsWith429AndOtherSessionsLearnIt() throws Exception {
        TestSocket other = open(ticketOf(SPENDER)); // the identity's second live session, which spends nothing itself
        other.awaitEvent("session.created");
        String laterTicket = ticketOf(SPENDER);
        TestSocket socket;
        try (LogCapture log = new LogCapture()) {
            socket = open(ticketOf(SPENDER));
            socket.awaitEvent("session.created");
            socket.send(responseCreate());
            assertThat(socket.awaitEvent("response.done").getJsonObject("response").getJsonObject("usage").getInteger("total_tokens")).isEqualTo(30);

            socket.send(responseCreate());
            JsonObject error = socket.awaitEvent("error").getJsonObject("error");
            assertThat(error.getString("code")).isEqualTo("budget_exceeded");
            assertThat(error.getString("message")).contains("used 30 of its 30 tokens")
                    .contains(LocalDate.now(ZoneOffset.UTC).plusDays(1) + "T00:00:00Z");
            socket.send(new JsonObject().put("type", "fake.echo").put("n", 1));
            assertThat(socket.awaitEvent("fake.echo").getInteger("n")).as("the session stays open").isEqualTo(1);
            long forwarded = fake.connections().stream().mapToLong(c -> c.getJsonArray("messages").stream()
                    .filter(m -> m.toString().contains("response.create")).count()).sum();
            assertThat(forwarded).as("the refused response.create never went upstream").isEqualTo(1);
            assertThat(metric("gateway_realtime_events_refused_total{reason=\"budget_exceeded\"}")).isEqualTo(1.0);

            socket.close();
            socket.awaitClosed();
            await().atMost(TestSocket.WAIT).until(() -> log.all().contains("Realtime session ended"));
            assertThat(log.lines()).filteredOn(l -> l.contains("Realtime session ended"))
                    .anySatisfy(l -> assertThat(l).contains("usage=input_tokens:10,output_tokens:20,total_tokens:30,responses:1"));
        }

        // The other session learns the day total on its next renewal tick (every 300 ms here).
        Thread.sleep(1000);
        other.send(responseCreate());
        assertThat(other.awaitEvent("error").getJsonObject("error").getString("code")).isEqualTo("budget_exceeded");

        Response refused = given().header("Authorization", "Bearer " + SPENDER).contentType("application/json").body("{}")
                .post("/api/realtime/client-secret");
        refused.then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("https://realtime-gateway.dev/problems/budget-exceeded"))
                .body("detail", containsString("resets at " + LocalDate.now(ZoneOffset.UTC).plusDays(1) + "T00:00:00Z"));
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 86_400L);

        TestSocket late = open(laterTicket); // a ticket issued before the budget was spent still opens a session
        late.awaitEvent("session.created");
        late.send(responseCreate());
        assertThat(late.awaitEvent("error").getJsonObject("error").getString("code")).isEqualTo("budget_exceeded");
    }

    @Test
    void adminsReadAnIdentitysUsageAndStrangersDoNot() {
        usage("nobody", Secrets.random(40)).then().statusCode(401).contentType("application/problem+json");
        given().queryParam("identity", "nobody").get("/api/realtime/usage").then().statusCode(401);
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/api/realtime/usage").then().statusCode(400)
                .body("errors[0].field", equalTo("identity"));
        given().header("Authorization", "Bearer " + ADMIN_KEY).queryParam("identity", "x").queryParam("day", "yesterday")
                .get("/api/realtime/usage").then().statusCode(400).body("errors[0].field", equalTo("day"));
        usage("mallory\r\nINFO forged", ADMIN_KEY).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("identity")).body("errors[0].message", startsWith("must not contain control characters"));
        usage("nobody", ADMIN_KEY).then().statusCode(200)
                .body("identity", equalTo("nobody"))
                .body("day", equalTo(LocalDate.now(ZoneOffset.UTC).toString()))
                .body("billable_tokens", equalTo(0))
                .body("budget.tokens_per_day", equalTo(30))
                .body("budget.remaining", equalTo(30))
                .body("budget.exhausted", equalTo(false));
    }

    @Test
    void theUsageEndpointShowsWhatSessionsSpent() {
        usage(identity(METERED), ADMIN_KEY).then().statusCode(200).body("billable_tokens", equalTo(0));
        TestSocket socket = open(ticketOf(METERED));
        socket.awaitEvent("session.created");
        socket.send(responseCreate());
        socket.awaitEvent("response.done");
        await().atMost(TestSocket.WAIT).untilAsserted(() -> usage(identity(METERED), ADMIN_KEY).then().statusCode(200)
                .body("usage.input_tokens", equalTo(10)).body("usage.output_tokens", equalTo(20)).body("usage.total_tokens", equalTo(30))
                .body("usage.responses", equalTo(1)).body("billable_tokens", equalTo(30))
                .body("budget.remaining", equalTo(0)).body("budget.exhausted", equalTo(true))
                .body("budget.resets_at", equalTo(LocalDate.now(ZoneOffset.UTC).plusDays(1) + "T00:00:00Z")));
    }
}
