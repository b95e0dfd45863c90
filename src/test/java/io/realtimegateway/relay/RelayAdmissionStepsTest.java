package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.vertx.core.http.UpgradeRejectedException;

/**
 * The relay upgrade's door into the admission pipeline, one step at a time (the default test profile, so the same
 * boot as {@link RealtimeRelayTest}): before the upgrade a refusal is problem+json, after it a close code and reason;
 * each counts in {@code gateway_realtime_refusals_total}; and nothing refused spends the ticket.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class)
class RelayAdmissionStepsTest extends RelaySocketTestBase {

    @Test
    void credentialStepRefusesAMissingTicketBeforeTheUpgrade() {
        double refused = metric(refusals("ticket_missing"));
        upgradeRequest().when().get("/v1/realtime?model=gpt-realtime")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_TYPE_BASE + "unauthorized"))
                .body("reason", equalTo("ticket_missing"));
        assertThat(metric(refusals("ticket_missing"))).isEqualTo(refused + 1);
        assertThat(fake.upgrades()).isZero();
    }

    @Test
    void bindingStepRefusesInBandAndLeavesTheTicketUsable() {
        double refused = metric(refusals("ticket_type_mismatch"));
        String ticket = transcriptionTicket();
        TestSocket wrongType = connect("model=gpt-realtime", Map.of("Authorization", "Bearer " + ticket), List.of());
        assertThat(wrongType.awaitEvent("error").getJsonObject("error").getString("code")).isEqualTo("ticket_type_mismatch");
        wrongType.awaitClosed();
        assertThat(wrongType.closeCode).isEqualTo(4000);
        assertThat(wrongType.closeReason).isEqualTo("invalid_request_error.ticket_type_mismatch");
        assertThat(metric(refusals("ticket_type_mismatch"))).isEqualTo(refused + 1);

        // Redemption comes after the binding: the ticket still opens what it was issued for.
        connect("intent=transcription", Map.of("Authorization", "Bearer " + ticket), List.of()).awaitEvent("session.created");
        assertThat(fake.upgrades()).isEqualTo(1);
    }

    @Test
    void theDoorsOwnParsingIsRefusedAtTheBindingStepWithoutSpendingTheTicket() {
        double refused = metric(refusals("call_id_not_supported"));
        String ticket = ticket();
        TestSocket callId = connect("model=gpt-realtime&call_id=rtc_1", Map.of("Authorization", "Bearer " + ticket), List.of());
        callId.awaitClosed();
        assertThat(callId.closeCode).isEqualTo(4000);
        assertThat(callId.closeReason).isEqualTo("invalid_request_error.call_id_not_supported");
        assertThat(metric(refusals("call_id_not_supported"))).isEqualTo(refused + 1);
        open(ticket).awaitEvent("session.created");
    }

    @Test
    void theDoorsOwnParsingComesAfterTheCredential() {
        // Without a valid ticket a client learns nothing about the rest of its request: 401, not an in-band refusal.
        assertThatThrownBy(() -> connect("model=gpt-realtime&call_id=rtc_1", Map.of(), List.of()))
                .isInstanceOf(UpgradeRejectedException.class)
                .satisfies(t -> assertThat(((UpgradeRejectedException) t).getStatus()).isEqualTo(401));
    }

    @Test
    void redemptionStepRefusesAReplayBeforeTheUpgrade() {
        double refused = metric(refusals("ticket_replayed"));
        String ticket = ticket();
        open(ticket).awaitEvent("session.created");
        upgradeRequest().header("Authorization", "Bearer " + ticket).when().get("/v1/realtime?model=gpt-realtime")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("detail", equalTo("ticket already used: tickets are single-use"))
                .body("reason", equalTo("ticket_replayed"));
        assertThat(metric(refusals("ticket_replayed"))).isEqualTo(refused + 1);
    }
}
