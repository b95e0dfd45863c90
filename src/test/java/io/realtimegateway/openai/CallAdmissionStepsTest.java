package io.realtimegateway.openai;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.FakeOpenAiUpstream;

/**
 * The WebRTC calls' and the relay tickets' doors into the admission pipeline, one step at a time (the calls' profile,
 * so the same boot as {@link RealtimeCallTest}): each refusal is problem+json, counts in
 * {@code gateway_realtime_refusals_total}, and leaves the ticket usable.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class)
@TestProfile(CallTestBase.CallProfile.class)
class CallAdmissionStepsTest extends CallTestBase {

    private static String refusals(String reason) {
        return "gateway_realtime_refusals_total{reason=\"" + reason + "\"}";
    }

    @Test
    void credentialStepComesBeforeTheDoorsOwnParsing() {
        double refused = metric(refusals("ticket_missing"));
        given().contentType("application/sdp").body("not an offer".getBytes(StandardCharsets.UTF_8)).post("/v1/realtime/calls")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_TYPE_BASE + "unauthorized"))
                .body("reason", equalTo("ticket_missing"));
        assertThat(metric(refusals("ticket_missing"))).isEqualTo(refused + 1);
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void bindingStepRefusesAModelOtherThanTheTicketsAndLeavesTheTicketUsable() {
        double refused = metric(refusals("ticket_model_mismatch"));
        String ticket = ticket();
        given().header("Authorization", "Bearer " + ticket).contentType("application/sdp").body(OFFER.getBytes(StandardCharsets.UTF_8))
                .post("/v1/realtime/calls?model=gpt-realtime-mini")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_TYPE_BASE + "ticket-model-mismatch"))
                .body("reason", equalTo("ticket_model_mismatch"));
        assertThat(metric(refusals("ticket_model_mismatch"))).isEqualTo(refused + 1);
        assertThat(fake.calls()).isEmpty();
        postOffer(ticket, OFFER).then().statusCode(201);
    }

    @Test
    void bindingStepRefusesATranscriptionTicket() {
        double refused = metric(refusals("ticket_type_mismatch"));
        String ticket = given().contentType("application/json").body("{\"session\":{\"type\":\"transcription\"}}")
                .post("/api/realtime/client-secret").then().statusCode(200).extract().path("value");
        postOffer(ticket, OFFER).then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_TYPE_BASE + "ticket-type-mismatch"))
                .body("reason", equalTo("ticket_type_mismatch"));
        assertThat(metric(refusals("ticket_type_mismatch"))).isEqualTo(refused + 1);
    }

    @Test
    void ticketDoorsBindingStepRefusesAModelOutsideTheAllowList() {
        double refused = metric(refusals("model_not_allowed"));
        given().contentType("application/json").body("{\"session\":{\"model\":\"gpt-4o\"}}").post("/api/realtime/client-secret")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("session.model"))
                .body("reason", equalTo("model_not_allowed")); // the ticket door's refusal
        assertThat(metric(refusals("model_not_allowed"))).isEqualTo(refused + 1);
    }

    @Test
    void leaseStepRefusesASecondCallOfTheSameIdentity() {
        double refused = metric(refusals("max_sessions_per_identity"));
        startCall();
        String ticket = ticket();
        postOffer(ticket, OFFER).then().statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_TYPE_BASE + "session-limit-reached"))
                .body("reason", equalTo("max_sessions_per_identity"));
        assertThat(metric(refusals("max_sessions_per_identity"))).isEqualTo(refused + 1);
    }
}
