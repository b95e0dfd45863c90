package io.realtimegateway.realtime.live;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.PreflightCheck;
import io.realtimegateway.realtime.RealtimeConfig;

/**
 * The offline GPT-Live checks: {@code realtime.live.models} (no model both a Realtime and a Live one: a ticket's type
 * follows from its model), {@code realtime.live.instructions} (within OpenAI's limit) and
 * {@code realtime.live.delegation} (known delegation types and tool types).
 */
@ApplicationScoped
class LiveChecks implements PreflightCheck {

    static final String MODELS = "realtime.live.models";
    static final String INSTRUCTIONS = "realtime.live.instructions";
    static final String DELEGATION = "realtime.live.delegation";

    /** OpenAI's limit on {@code session.instructions}, in tokens. */
    static final int MAX_INSTRUCTION_TOKENS = 16_384;
    static final Set<String> DELEGATION_TYPES = Set.of("client", "responses");
    /** The tool types of the Responses backend's {@code tools} union (OpenAI's guide says only function and web_search work). */
    static final Set<String> TOOL_TYPES = Set.of("function", "web_search", "file_search", "code_interpreter", "shell", "image_generation", "mcp",
            "custom", "namespace", "tool_search", "programmatic_tool_calling", "computer", "apply_patch");

    private final LiveConfig live;
    private final RealtimeConfig realtime;

    LiveChecks(LiveConfig live, RealtimeConfig realtime) {
        this.live = live;
        this.realtime = realtime;
    }

    @Override
    public Feature feature() {
        return Feature.RELAY;
    }

    @Override
    public int place() {
        return 1;
    }

    @Override
    public List<CheckResult> run() {
        return List.of(models(live.models(), realtime.models()), instructions(live.instructions()),
                delegation(live.delegationTypes(), live.responsesTools()));
    }

    static CheckResult models(List<String> liveModels, List<String> realtimeModels) {
        List<String> both = liveModels.stream().filter(realtimeModels::contains).distinct().toList();
        if (!both.isEmpty()) {
            return CheckResult.fail(MODELS, "model " + String.join(", ", both) + " is listed in both GATEWAY_REALTIME_MODELS and GATEWAY_LIVE_MODELS:"
                    + " a ticket for it could not tell a Realtime session from a GPT-Live one",
                    "List each model once: GPT-Live models (gpt-live-1, gpt-live-1.1) in GATEWAY_LIVE_MODELS, Realtime ones in GATEWAY_REALTIME_MODELS");
        }
        return CheckResult.ok(MODELS, "GPT-Live models " + String.join(", ", liveModels) + " (default " + liveModels.get(0) + ")");
    }

    static CheckResult instructions(Optional<String> instructions) {
        if (instructions.filter(s -> !s.isBlank()).isEmpty()) {
            return CheckResult.ok(INSTRUCTIONS, "no server instructions for GPT-Live (GATEWAY_LIVE_INSTRUCTIONS unset)");
        }
        // About four bytes of text per token: the limit is OpenAI's, the count an estimate that errs on the long side.
        long estimate = (instructions.get().getBytes(StandardCharsets.UTF_8).length + 3) / 4;
        if (estimate > MAX_INSTRUCTION_TOKENS) {
            return CheckResult.fail(INSTRUCTIONS, "GATEWAY_LIVE_INSTRUCTIONS is about " + estimate + " tokens; GPT-Live takes at most "
                    + MAX_INSTRUCTION_TOKENS + " (and the client's own instructions are appended to them)", "Shorten GATEWAY_LIVE_INSTRUCTIONS");
        }
        return CheckResult.ok(INSTRUCTIONS, "server instructions for GPT-Live set (about " + estimate + " tokens)");
    }

    static CheckResult delegation(List<String> types, List<String> tools) {
        List<String> problems = new ArrayList<>();
        types.stream().filter(t -> !DELEGATION_TYPES.contains(t)).forEach(t -> problems.add("delegation type '" + t + "' (known: client, responses)"));
        tools.stream().filter(t -> !TOOL_TYPES.contains(t)).forEach(t -> problems.add("tool type '" + t + "'"));
        if (!problems.isEmpty()) {
            return CheckResult.fail(DELEGATION, "GATEWAY_LIVE_DELEGATION_TYPES / GATEWAY_LIVE_RESPONSES_TOOLS name an unknown " + String.join(", ", problems),
                    "Use client and/or responses for GATEWAY_LIVE_DELEGATION_TYPES, and tool types of OpenAI's Responses API (function, web_search, ...)"
                            + " for GATEWAY_LIVE_RESPONSES_TOOLS");
        }
        return CheckResult.ok(DELEGATION, "delegation types " + String.join(", ", types) + "; Responses tools " + String.join(", ", tools));
    }
}
