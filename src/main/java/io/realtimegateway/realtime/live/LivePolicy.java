package io.realtimegateway.realtime.live;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The server's policy on GPT-Live client events, over parsed events (Jackson trees, nothing to register for
 * reflection): {@code session.start} is checked and rewritten, the later events that could change what it fixed are
 * filtered, and the session resources upstream sends are redacted. No I/O; {@link LiveProtocol} applies the verdicts.
 * <ul>
 * <li>{@code session.start}: the model must be the ticket's (absent: the ticket's is put in); the server instructions
 * ({@code GATEWAY_LIVE_INSTRUCTIONS}) come first and the client's, if any, after them; with server instructions,
 * {@code developer} messages in {@code input} are refused; the delegation type must be allowed (absent means
 * {@code client}), a {@code responses} backend's model and tool types too; {@code store: true} only when allowed.
 * Any violation ends the session before anything reaches OpenAI.</li>
 * <li>Later: a second {@code session.start} ends the session; {@code session.update} may touch
 * {@code delegation.responses} only, under the same allow-lists; with server instructions,
 * {@code session.instructions.append} and {@code session.thinking.append} are refused, and
 * {@code session.commentary.append} passes only as a client delegation's result (a {@code delegation_id}).
 * Refused events get an {@code error} event and the session goes on.</li>
 * </ul>
 */
@ApplicationScoped
public class LivePolicy {

    /** What becomes of one client event. */
    public sealed interface Verdict permits Pass, Rewrite, Refuse, End {
    }

    /** Relay it as it came. */
    public enum Pass implements Verdict {
        PASS
    }

    /** Relay this event instead. */
    public record Rewrite(ObjectNode event) implements Verdict {
    }

    /** Relay nothing; an {@code error} event tells the client, and the session goes on. */
    public record Refuse(String code, String param, String message, String eventId) implements Verdict {
    }

    /** Relay nothing; an {@code error} event tells the client, then the session closes (1008) with the code as reason. */
    public record End(String code, String param, String message, String eventId) implements Verdict {
    }

    private final Optional<String> instructions;
    private final Set<String> delegationTypes;
    private final Optional<Set<String>> responsesModels;
    private final Set<String> responsesTools;
    private final boolean allowStore;
    private final List<String> models;

    @Inject
    LivePolicy(LiveConfig config) {
        this(config.instructions().filter(s -> !s.isBlank()), config.delegationTypes(), config.responsesModels(), config.responsesTools(),
                config.allowStore(), config.models());
    }

    LivePolicy(Optional<String> instructions, List<String> delegationTypes, Optional<List<String>> responsesModels, List<String> responsesTools,
            boolean allowStore, List<String> models) {
        this.instructions = instructions;
        this.delegationTypes = Set.copyOf(delegationTypes);
        this.responsesModels = responsesModels.map(Set::copyOf);
        this.responsesTools = Set.copyOf(responsesTools);
        this.allowStore = allowStore;
        this.models = List.copyOf(models);
    }

    /** Whether the server sets instructions (so they are redacted from what clients read). */
    public boolean instructionsLocked() {
        return instructions.isPresent();
    }

    /**
     * The first client event, which must be a {@code session.start}: the policy applied to it.
     *
     * @param model the model the session's ticket was bound to
     */
    public Verdict start(ObjectNode event, String model) {
        String eventId = event.path("event_id").asText(null);
        if (!"session.start".equals(event.path("type").asText(null))) {
            return new End("session_start_required", "type", "The first event of a GPT-Live session must be session.start.", eventId);
        }
        if (!(event.get("session") instanceof ObjectNode session)) {
            return new End("invalid_session_start", "session", "session.start needs a session object.", eventId);
        }
        JsonNode asked = session.get("model");
        if (asked == null || asked.isNull()) {
            session.put("model", model);
        } else if (!asked.isTextual() || !models.contains(asked.asText())) {
            return new End("model_not_allowed", "session.model", "The model is not allowed by this gateway. Allowed models: "
                    + String.join(", ", models) + ".", eventId);
        } else if (!asked.asText().equals(model)) {
            return new End("ticket_model_mismatch", "session.model", "This ticket was issued for model " + model
                    + ": start the session with that model (or none), or fetch a ticket for another.", eventId);
        }
        if (instructions.isPresent()) {
            JsonNode own = session.get("instructions");
            if (own != null && !own.isNull() && !own.isTextual()) {
                return new End("invalid_session_start", "session.instructions", "session.instructions must be a string.", eventId);
            }
            String mine = own == null || own.isNull() ? "" : own.asText();
            session.put("instructions", mine.isBlank() ? instructions.get() : instructions.get() + "\n\n" + mine);
            for (JsonNode message : session.path("input")) {
                if ("developer".equals(message.path("role").asText(null))) {
                    return new End("instructions_locked", "session.input", "This gateway sets the session's instructions; developer messages"
                            + " from clients are not accepted.", eventId);
                }
            }
        }
        Optional<Verdict> delegation = delegation(session.get("delegation"), true, eventId);
        if (delegation.isPresent()) {
            return delegation.get();
        }
        if (session.path("store").asBoolean(false) && !allowStore) {
            return new End("store_not_allowed", "session.store", "This gateway does not allow store: true (recordings and forks).", eventId);
        }
        return new Rewrite(event);
    }

    /** A client event after {@code session.start}. */
    public Verdict later(String type, ObjectNode event) {
        String eventId = event.path("event_id").asText(null);
        switch (type) {
            case "session.start":
                return new End("session_already_started", "type", "The session has started; session.start is accepted once.", eventId);
            case "session.update":
                return update(event, eventId);
            case "session.instructions.append", "session.thinking.append":
                return instructions.isPresent()
                        ? new Refuse("instructions_locked", "type", "This gateway sets the session's instructions; " + type + " is not accepted.", eventId)
                        : Pass.PASS;
            case "session.commentary.append":
                return instructions.isPresent() && !event.path("delegation_id").isTextual()
                        ? new Refuse("instructions_locked", "delegation_id", "This gateway sets the session's instructions; session.commentary.append"
                                + " is accepted only as the result of a client delegation (with its delegation_id).", eventId)
                        : Pass.PASS;
            default:
                return Pass.PASS;
        }
    }

    private Verdict update(ObjectNode event, String eventId) {
        if (!(event.get("session") instanceof ObjectNode session)) {
            return Pass.PASS;
        }
        for (Iterator<String> names = session.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!"delegation".equals(name)) {
                return new Refuse("immutable_field_update", "session." + name, "Only the delegation backend's settings can change after startup.", eventId);
            }
        }
        Optional<Verdict> delegation = delegation(session.get("delegation"), false, eventId);
        return delegation.orElse(Pass.PASS);
    }

    /** A delegation object against the allow-lists; at start the violation ends the session, later it is refused. */
    private Optional<Verdict> delegation(JsonNode delegation, boolean atStart, String eventId) {
        String type = delegation == null || delegation.isNull() ? "client" : delegation.path("type").asText("");
        if (!delegationTypes.contains(type)) {
            return Optional.of(violation(atStart, "delegation_not_allowed", "session.delegation.type", "Delegation type '" + type
                    + "' is not allowed by this gateway. Allowed: " + String.join(", ", delegationTypes.stream().sorted().toList()) + ".", eventId));
        }
        JsonNode responses = delegation == null ? null : delegation.get("responses");
        if (!"responses".equals(type) || responses == null || !responses.isObject()) {
            return Optional.empty();
        }
        JsonNode model = responses.get("model");
        if (model != null && responsesModels.isPresent() && !responsesModels.get().contains(model.asText(""))) {
            return Optional.of(violation(atStart, "delegation_model_not_allowed", "session.delegation.responses.model", "The Responses backend model is not"
                    + " allowed by this gateway. Allowed: " + String.join(", ", responsesModels.get().stream().sorted().toList()) + ".", eventId));
        }
        for (JsonNode tool : responses.path("tools")) {
            String toolType = tool.path("type").asText("");
            if (!responsesTools.contains(toolType)) {
                return Optional.of(violation(atStart, "tool_not_allowed", "session.delegation.responses.tools", "Tool type '" + toolType
                        + "' is not allowed by this gateway. Allowed: " + String.join(", ", responsesTools.stream().sorted().toList()) + ".", eventId));
            }
        }
        return Optional.empty();
    }

    private static Verdict violation(boolean atStart, String code, String param, String message, String eventId) {
        return atStart ? new End(code, param, message, eventId) : new Refuse(code, param, message, eventId);
    }

    /**
     * A {@code session.started}, {@code session.updated} or {@code session.closed} as the client may see it: without
     * {@code session.instructions} while the server sets them. Empty when nothing changes.
     */
    public Optional<ObjectNode> redact(ObjectNode event) {
        if (instructions.isPresent() && event.get("session") instanceof ObjectNode s && s.remove("instructions") != null) {
            return Optional.of(event);
        }
        return Optional.empty();
    }

    /** A GPT-Live {@code error} event (its shape: {@code error.client_event_id} names the client event it answers). */
    public static ObjectNode errorEvent(ObjectMapper mapper, String code, String param, String message, String clientEventId) {
        ObjectNode event = mapper.createObjectNode();
        event.put("type", "error");
        event.put("event_id", "gw_" + Long.toHexString(System.nanoTime()));
        ObjectNode error = event.putObject("error");
        error.put("type", "invalid_request_error");
        error.put("code", code);
        error.put("message", message);
        error.put("param", param);
        error.put("client_event_id", clientEventId);
        return event;
    }
}
