package io.realtimegateway.realtime.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.realtimegateway.preflight.CheckStatus;

/** The policy on {@code session.start} and the later client events, and the offline Live checks. */
class LivePolicyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SERVER = "Server rules.";

    private final LivePolicy locked = new LivePolicy(Optional.of(SERVER), List.of("client", "responses"), Optional.of(List.of("gpt-5.6-luna")),
            List.of("function", "web_search"), false, List.of("gpt-live-1", "gpt-live-1.1"));
    private final LivePolicy open = new LivePolicy(Optional.empty(), List.of("client"), Optional.empty(), List.of("function"), true,
            List.of("gpt-live-1"));

    private static ObjectNode event(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void startGetsTheTicketsModelAndTheServerInstructionsFirst() {
        LivePolicy.Verdict verdict = locked.start(event("{\"type\":\"session.start\",\"session\":{\"instructions\":\"Mine.\"}}"), "gpt-live-1");
        assertThat(verdict).isInstanceOf(LivePolicy.Rewrite.class);
        ObjectNode session = (ObjectNode) ((LivePolicy.Rewrite) verdict).event().get("session");
        assertThat(session.get("model").asText()).isEqualTo("gpt-live-1");
        assertThat(session.get("instructions").asText()).isEqualTo(SERVER + "\n\nMine.");
        ObjectNode none = (ObjectNode) ((LivePolicy.Rewrite) locked.start(event("{\"type\":\"session.start\",\"session\":{}}"), "gpt-live-1"))
                .event().get("session");
        assertThat(none.get("instructions").asText()).isEqualTo(SERVER);
    }

    @Test
    void startViolationsEndTheSession() {
        assertThat(code(locked.start(event("{\"type\":\"session.update\",\"session\":{}}"), "gpt-live-1"))).isEqualTo("session_start_required");
        assertThat(code(locked.start(event("{\"type\":\"session.start\",\"session\":{\"model\":\"gpt-realtime\"}}"), "gpt-live-1"))).isEqualTo("model_not_allowed");
        assertThat(code(locked.start(event("{\"type\":\"session.start\",\"session\":{\"model\":\"gpt-live-1.1\"}}"), "gpt-live-1"))).isEqualTo("ticket_model_mismatch");
        assertThat(code(locked.start(event("{\"type\":\"session.start\",\"session\":{\"input\":[{\"role\":\"developer\",\"content\":[]}]}}"), "gpt-live-1")))
                .isEqualTo("instructions_locked");
        assertThat(code(open.start(event("{\"type\":\"session.start\",\"session\":{\"delegation\":{\"type\":\"responses\",\"responses\":{}}}}"), "gpt-live-1")))
                .isEqualTo("delegation_not_allowed");
        assertThat(code(locked.start(event("{\"type\":\"session.start\",\"session\":{\"delegation\":{\"type\":\"responses\",\"responses\":{\"model\":\"gpt-5.6-terra\"}}}}"),
                "gpt-live-1"))).isEqualTo("delegation_model_not_allowed");
        assertThat(code(locked.start(event("{\"type\":\"session.start\",\"session\":{\"delegation\":{\"type\":\"responses\",\"responses\":{\"model\":\"gpt-5.6-luna\","
                + "\"tools\":[{\"type\":\"web_search\"},{\"type\":\"code_interpreter\"}]}}}}"), "gpt-live-1"))).isEqualTo("tool_not_allowed");
        assertThat(code(locked.start(event("{\"type\":\"session.start\",\"session\":{\"store\":true}}"), "gpt-live-1"))).isEqualTo("store_not_allowed");
        assertThat(open.start(event("{\"type\":\"session.start\",\"session\":{\"store\":true}}"), "gpt-live-1")).isInstanceOf(LivePolicy.Rewrite.class);
    }

    @Test
    void laterEventsAreFilteredByTheSamePolicy() {
        assertThat(locked.later("session.start", event("{\"type\":\"session.start\"}"))).isInstanceOf(LivePolicy.End.class);
        assertThat(code(locked.later("session.instructions.append", event("{\"type\":\"session.instructions.append\",\"content\":\"x\",\"delegation_id\":null}"))))
                .isEqualTo("instructions_locked");
        assertThat(code(locked.later("session.thinking.append", event("{\"type\":\"session.thinking.append\",\"content\":\"x\",\"delegation_id\":null}"))))
                .isEqualTo("instructions_locked");
        assertThat(code(locked.later("session.commentary.append", event("{\"type\":\"session.commentary.append\",\"content\":\"x\",\"delegation_id\":null}"))))
                .isEqualTo("instructions_locked");
        assertThat(locked.later("session.commentary.append", event("{\"type\":\"session.commentary.append\",\"content\":\"x\",\"delegation_id\":\"item_1\"}")))
                .isEqualTo(LivePolicy.Pass.PASS);
        assertThat(open.later("session.instructions.append", event("{\"type\":\"session.instructions.append\",\"content\":\"x\",\"delegation_id\":null}")))
                .isEqualTo(LivePolicy.Pass.PASS);
        assertThat(code(locked.later("session.update", event("{\"type\":\"session.update\",\"session\":{\"instructions\":\"x\"}}"))))
                .isEqualTo("immutable_field_update");
        assertThat(code(locked.later("session.update", event("{\"type\":\"session.update\",\"session\":{\"delegation\":{\"type\":\"responses\","
                + "\"responses\":{\"tools\":[{\"type\":\"mcp\"}]}}}}")))).isEqualTo("tool_not_allowed");
        assertThat(locked.later("session.update", event("{\"type\":\"session.update\",\"session\":{\"delegation\":{\"type\":\"responses\","
                + "\"responses\":{\"model\":\"gpt-5.6-luna\"}}}}"))).isEqualTo(LivePolicy.Pass.PASS);
        assertThat(locked.later("session.input_audio.append", event("{\"type\":\"session.input_audio.append\",\"audio\":\"AAAA\"}")))
                .isEqualTo(LivePolicy.Pass.PASS);
    }

    @Test
    void sessionResourcesLoseTheServerInstructions() {
        ObjectNode started = event("{\"type\":\"session.started\",\"session\":{\"id\":\"live_1\",\"instructions\":\"Server rules.\"}}");
        assertThat(locked.redact(started)).get().extracting(e -> e.get("session").has("instructions")).isEqualTo(false);
        assertThat(open.redact(event("{\"type\":\"session.started\",\"session\":{\"instructions\":\"x\"}}"))).isEmpty();
    }

    @Test
    void aModelInBothListsFailsTheBoot() {
        assertThat(LiveChecks.models(List.of("gpt-live-1", "gpt-realtime"), List.of("gpt-realtime")).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(LiveChecks.models(List.of("gpt-live-1"), List.of("gpt-realtime")).status()).isEqualTo(CheckStatus.OK);
        assertThat(LiveChecks.instructions(Optional.of("x".repeat(4 * 16_384 + 8))).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(LiveChecks.delegation(List.of("client", "sip"), List.of("function")).status()).isEqualTo(CheckStatus.FAIL);
    }

    private static String code(LivePolicy.Verdict verdict) {
        if (verdict instanceof LivePolicy.End end) {
            return end.code();
        }
        return verdict instanceof LivePolicy.Refuse refuse ? refuse.code() : String.valueOf(verdict);
    }
}
