package io.realtimegateway.realtime.live.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The browser's data-channel capabilities, and what a WebRTC Live session owes on the gateway's clock. */
class DataChannelPolicyTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void withServerInstructionsTheBrowserCannotAppendInstructionsNorUpdateTheSession() {
        DataChannelPolicy policy = new DataChannelPolicy(true, true);
        assertThat(policy.allowed()).containsExactly("session.input_audio.mute", "session.input_audio.unmute", "response.item.create",
                "response.create", "session.close", "session.commentary.append");
        assertThat(new DataChannelPolicy(false, false).allowed()).contains("session.instructions.append", "session.thinking.append")
                .doesNotContain("session.commentary.append", "session.update");
    }

    @Test
    void theBrowsersOwnListOnlyNarrowsTheGateways() throws Exception {
        DataChannelPolicy policy = new DataChannelPolicy(true, false);
        ObjectNode session = (ObjectNode) mapper.readTree("{\"client\":{\"data_channel\":{\"allowed_client_events\":[\"session.update\",\"session.close\"],"
                + "\"allowed_server_events\":\"all\"}}}");
        policy.restrict(session);
        assertThat(session.toString()).isEqualTo("{\"client\":{\"data_channel\":{\"allowed_client_events\":[\"session.close\"],\"allowed_server_events\":\"all\"}}}");

        ObjectNode all = (ObjectNode) mapper.readTree("{\"client\":{\"data_channel\":{\"allowed_client_events\":\"all\"}}}");
        policy.restrict(all);
        assertThat(all.path("client").path("data_channel").path("allowed_client_events")).hasSize(5);

        ObjectNode none = mapper.createObjectNode();
        policy.restrict(none);
        assertThat(none.path("client").path("data_channel").path("allowed_client_events").toString())
                .isEqualTo("[\"session.input_audio.mute\",\"session.input_audio.unmute\",\"response.item.create\",\"response.create\",\"session.close\"]");
    }

    @Test
    void aSessionOwesTheInitializationThenItsDurationOrOpenAisFigureWhicheverIsHigher() {
        assertThat(LiveSeconds.owed(0, 0)).isEqualTo(15);
        assertThat(LiveSeconds.owed(9, 12)).as("credited, not added on top").isEqualTo(15);
        assertThat(LiveSeconds.owed(40, 0)).isEqualTo(40);
        assertThat(LiveSeconds.owed(40, 52)).isEqualTo(52);
        assertThat(LiveSeconds.owed(60, 52)).isEqualTo(60);
    }
}
