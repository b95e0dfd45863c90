package io.realtimegateway.openai;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.realtimegateway.testing.Secrets;
import io.realtimegateway.ticket.Ticket;
import io.realtimegateway.ticket.TicketService;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * WebRTC calls under the caller's rate limit and the identity's usage budget: both are checked before the ticket is
 * redeemed (a refused call leaves it usable), and a budget spent during a call hangs the call up through the API.
 * Two API-key callers, one per test, so that the tests do not share a rate-limit window or a day's usage.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class)
@TestProfile(CallLimitsTest.LimitsProfile.class)
class CallLimitsTest extends CallTestBase {

    static final String KEY_RATE = Secrets.shared("call-rate-caller-key");
    static final String KEY_BUDGET = Secrets.shared("call-budget-caller-key");

    /** Three tickets and three calls per caller per minute, 50 tokens per identity per day. */
    public static class LimitsProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = LiveKitTestConfig.valid();
            config.put("gateway.auth.mode", "api-key");
            config.put("gateway.auth.api-keys", KEY_RATE + "," + KEY_BUDGET);
            config.put("gateway.rate-limit.tickets-per-minute", "3");
            config.put("gateway.realtime.budget.tokens-per-day", "50");
            config.put("gateway.realtime.idle-timeout", "30s");
            return config;
        }
    }

    @Inject
    TicketService tickets;

    @Test
    void callsCountAgainstTheCallersRateLimitBeforeTheTicketIsRedeemed() {
        String first = ticket(KEY_RATE);
        String second = ticket(KEY_RATE);
        postOffer(first, OFFER).then().statusCode(201);
        // Replays still count: the limit bounds what one caller can make the gateway and OpenAI do.
        postOffer(first, OFFER).then().statusCode(401);
        postOffer(first, OFFER).then().statusCode(401);

        Response limited = postOffer(second, OFFER);
        limited.then().statusCode(429).contentType("application/problem+json");
        assertThat(limited.header("Retry-After")).matches("[1-9][0-9]*");
        assertThat(limited.jsonPath().getString("type")).isEqualTo(PROBLEM_TYPE_BASE + "rate-limited");
        assertThat(limited.jsonPath().getString("detail")).contains("3 WebRTC calls per minute");
        assertThat(fake.calls()).as("OpenAI was not asked").hasSize(1);
        assertThat(redeemable(second)).as("the refused call did not spend its ticket").isTrue();
        assertThat(metric("gateway_rate_limit_refusals_total{bucket=\"calls\"}")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aSpentBudgetHangsTheLiveCallUpAndRefusesTheNextBeforeItsTicketIsRedeemed() {
        double ended = metric("gateway_realtime_calls_ended_total{reason=\"budget_exceeded\"}");
        double tokens = metric("gateway_realtime_usage_tokens_total{kind=\"total\"}");
        String first = ticket(KEY_BUDGET);
        String second = ticket(KEY_BUDGET);
        String location = postOffer(first, OFFER).then().statusCode(201).extract().header("Location");
        String call = location.substring(location.lastIndexOf('/') + 1);
        await().atMost(WAIT).until(() -> sidebands(call).size() == 1);

        // 30 tokens per response: the first leaves the call up, the second spends the budget of 50.
        fake.browserSends(call, new JsonObject().put("type", "response.create"));
        await().atMost(WAIT).until(() -> metric("gateway_realtime_usage_tokens_total{kind=\"total\"}") == tokens + 30);
        assertThat(fake.hangups()).isEmpty();
        fake.browserSends(call, new JsonObject().put("type", "response.create"));
        await().atMost(WAIT).until(() -> fake.hangups().contains(call));
        await().atMost(WAIT).until(() -> metric("gateway_realtime_calls_ended_total{reason=\"budget_exceeded\"}") == ended + 1);

        Response refused = postOffer(second, OFFER);
        refused.then().statusCode(429).contentType("application/problem+json");
        assertThat(refused.jsonPath().getString("type")).isEqualTo(PROBLEM_TYPE_BASE + "budget-exceeded");
        assertThat(refused.header("Retry-After")).matches("[1-9][0-9]*");
        assertThat(fake.calls()).hasSize(1);
        assertThat(redeemable(second)).isTrue();
    }

    private static String ticket(String key) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body("{}").post("/api/realtime/client-secret")
                .then().statusCode(200).extract().path("value");
    }

    private boolean redeemable(String ticket) {
        Ticket redeemed = tickets.redeem(ticket).await().atMost(WAIT);
        return redeemed != null;
    }
}
