package io.realtimegateway.relay;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.realtimegateway.config.RealtimeConfig;
import io.realtimegateway.state.Usage;
import io.realtimegateway.usage.ReportedUsage;
import io.vertx.core.buffer.Buffer;

/**
 * What the relay reads, rewrites and refuses in the event stream. Only the event {@code type} is read from every
 * text frame (from its bytes, see {@link EventTypes}); full parsing is limited to the few events policy needs, and
 * every other frame passes byte-for-byte. Uses Jackson trees only, so nothing needs reflection registration.
 * <p>
 * One class because it is the one place that knows the Realtime event shapes the gateway touches: the client verdicts,
 * the redaction of upstream events and the usage read from {@code response.done} all parse the same few events with
 * the same mapper and the same error-event format, and a reader checking what the relay inspects finds it all here.
 */
@ApplicationScoped
class RelayPolicy {

    /** The {@code event_id} of the gateway's own {@code session.update}, so upstream's answer to it can be told apart. */
    static final String INSTRUCTIONS_EVENT_ID = "gw_instructions";

    /** Message roles that carry instructions; refused from clients while the server sets instructions. */
    private static final Set<String> INSTRUCTION_ROLES = Set.of("system", "developer");

    /** What becomes of one client text message. */
    sealed interface Verdict permits Pass, Rewrite, Refuse {
    }

    /** Relay the message as it came. */
    enum Pass implements Verdict {
        PASS
    }

    /** Relay {@code text} instead. */
    record Rewrite(String text) implements Verdict {
    }

    /**
     * Relay nothing; tell the client with an {@code error} event and keep the session open.
     *
     * @param param the offending member, as OpenAI's {@code error.param}
     * @param eventId the client's {@code event_id}, when it sent one
     */
    record Refuse(RelayMetrics.EventRefused reason, String param, String message, String eventId) implements Verdict {
    }

    /** Whether the identity may still start responses today; read only for a client {@code response.create}. */
    interface ResponseBudget {
        ResponseBudget UNLIMITED = new ResponseBudget() {
            @Override
            public boolean allowsResponse() {
                return true;
            }

            @Override
            public String exhaustedMessage() {
                return "";
            }
        };

        boolean allowsResponse();

        /** The error event's message when refused. */
        String exhaustedMessage();
    }

    private final ObjectMapper mapper;
    private final ObjectReader strict;
    private final Optional<String> instructions;
    private final boolean redactInstructions;

    RelayPolicy(ObjectMapper mapper, RealtimeConfig config) {
        this.mapper = mapper;
        this.strict = mapper.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        this.instructions = config.instructions().filter(s -> !s.isBlank());
        this.redactInstructions = config.redactInstructions();
    }

    /** Whether the server sets instructions for this session, so client frames wait for upstream to take them. */
    boolean holdsForInstructions(SessionPlan plan) {
        return instructions.isPresent() && !plan.transcription();
    }

    /** The type of a client or upstream text frame ({@link EventTypes#DUPLICATE} when it names two). */
    String typeOf(Buffer utf8) {
        return EventTypes.of(utf8, mapper.getFactory());
    }

    /**
     * Whether the relay reads an upstream event of this type (errors are redacted, session ids and usage of responses
     * and transcriptions recorded, instructions redacted).
     */
    boolean readsUpstream(String upstreamEventType) {
        return "error".equals(upstreamEventType) || "session.created".equals(upstreamEventType) || "response.done".equals(upstreamEventType)
                || TRANSCRIPTION_COMPLETED.equals(upstreamEventType) || ("session.updated".equals(upstreamEventType) && instructions.isPresent());
    }

    /**
     * What to do with a client text message. Frames naming two {@code type}s are refused. {@code session.update}'s
     * {@code session.model} becomes the effective model. With server instructions: {@code session.update}'s
     * {@code session.instructions} is replaced by them; a {@code session.update} or {@code response.create} with a
     * {@code prompt}, a {@code response.create} with other {@code instructions}, and a system or developer message
     * (in {@code conversation.item.create} or {@code response.create}'s {@code input}) are refused. Every event
     * parsed here is refused when any object in it has a duplicate key. Every other message passes.
     */
    Verdict inspectClient(Buffer utf8, SessionPlan plan) {
        return inspectClient(utf8, plan, ResponseBudget.UNLIMITED);
    }

    /** {@link #inspectClient(Buffer, SessionPlan)}, and a {@code response.create} over the identity's budget is refused. */
    Verdict inspectClient(Buffer utf8, SessionPlan plan, ResponseBudget budget) {
        String type = typeOf(utf8);
        if (type == EventTypes.DUPLICATE) {
            return duplicate(null);
        }
        if ("response.create".equals(type) && !budget.allowsResponse()) {
            ObjectNode event = parseObject(utf8.toString());
            return new Refuse(RelayMetrics.EventRefused.BUDGET_EXCEEDED, null, budget.exhaustedMessage(),
                    event == null ? null : event.path("event_id").asText(null));
        }
        boolean locked = instructions.isPresent();
        if (!"session.update".equals(type) && !(locked && ("response.create".equals(type) || "conversation.item.create".equals(type)))) {
            return Pass.PASS;
        }
        String text = utf8.toString();
        ObjectNode event;
        try {
            JsonNode node = strict.readTree(text);
            event = node instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            // Not JSON (upstream answers that itself), or a duplicate key: only the lenient parse tells them apart.
            return parseObject(text) == null ? Pass.PASS : duplicate(null);
        }
        if (event == null) {
            return Pass.PASS;
        }
        String eventId = event.path("event_id").asText(null);
        return switch (type) {
            case "session.update" -> sessionUpdate(event, text, plan, eventId);
            case "response.create" -> responseCreate(event, eventId);
            default -> conversationItem(event, eventId);
        };
    }

    private Verdict sessionUpdate(ObjectNode event, String text, SessionPlan plan, String eventId) {
        if (!(event.get("session") instanceof ObjectNode s)) {
            return Pass.PASS;
        }
        if (instructions.isPresent() && s.has("prompt")) {
            return locked("session.prompt", eventId);
        }
        boolean changed = false;
        if (!plan.transcription() && s.has("model") && !plan.model().equals(s.path("model").asText(null))) {
            s.put("model", plan.model());
            changed = true;
        }
        if (instructions.isPresent() && s.has("instructions") && !instructions.get().equals(s.path("instructions").asText(null))) {
            s.put("instructions", instructions.get());
            changed = true;
        }
        return changed ? new Rewrite(write(event, text)) : Pass.PASS;
    }

    private Verdict responseCreate(ObjectNode event, String eventId) {
        if (!(event.get("response") instanceof ObjectNode r)) {
            return Pass.PASS;
        }
        if (r.has("instructions") && !instructions.get().equals(r.path("instructions").asText(null))) {
            return locked("response.instructions", eventId);
        }
        if (r.has("prompt")) {
            return locked("response.prompt", eventId);
        }
        for (JsonNode item : r.path("input")) {
            if (INSTRUCTION_ROLES.contains(item.path("role").asText(""))) {
                return systemRole("response.input", eventId);
            }
        }
        return Pass.PASS;
    }

    private Verdict conversationItem(ObjectNode event, String eventId) {
        return INSTRUCTION_ROLES.contains(event.path("item").path("role").asText("")) ? systemRole("item.role", eventId) : Pass.PASS;
    }

    private static Refuse duplicate(String eventId) {
        return new Refuse(RelayMetrics.EventRefused.DUPLICATE_KEYS, null,
                "The event has a duplicate key; the gateway relays only events whose keys are unique.", eventId);
    }

    private static Refuse locked(String param, String eventId) {
        return new Refuse(RelayMetrics.EventRefused.INSTRUCTIONS_LOCKED, param,
                "This gateway sets the session's instructions; " + param + " cannot replace them.", eventId);
    }

    private static Refuse systemRole(String param, String eventId) {
        return new Refuse(RelayMetrics.EventRefused.SYSTEM_ROLE, param,
                "This gateway sets the session's instructions; system and developer messages from clients are not accepted.", eventId);
    }

    /**
     * A {@code session.created} or {@code session.updated} as the client may see it: without
     * {@code session.instructions} while the server sets them and {@code gateway.realtime.redact-instructions} is on;
     * the same text otherwise.
     */
    String redactSession(String text) {
        if (instructions.isEmpty() || !redactInstructions) {
            return text;
        }
        ObjectNode event = parseObject(text);
        if (event != null && event.get("session") instanceof ObjectNode s && s.remove("instructions") != null) {
            return write(event, text);
        }
        return text;
    }

    /** Whether an upstream {@code error} event answers the gateway's own instructions {@code session.update}. */
    boolean rejectsInstructions(String errorEvent) {
        ObjectNode event = parseObject(errorEvent);
        return event != null && INSTRUCTIONS_EVENT_ID.equals(event.path("error").path("event_id").asText(null));
    }

    /** The {@code session.update} that installs the server instructions, sent right after {@code session.created}. */
    Optional<String> instructionsUpdate(SessionPlan plan) {
        if (instructions.isEmpty() || plan.transcription()) {
            return Optional.empty();
        }
        ObjectNode event = mapper.createObjectNode();
        event.put("type", "session.update");
        event.put("event_id", INSTRUCTIONS_EVENT_ID);
        ObjectNode session = event.putObject("session");
        session.put("type", "realtime");
        session.put("instructions", instructions.get());
        return Optional.of(event.toString());
    }

    /**
     * Upstream's {@code invalid_api_key} message quotes a fragment of the server key ("Incorrect API key provided:
     * sk-...abcd"): it is replaced before the event reaches the client. Other error events pass unchanged.
     */
    String redactUpstreamError(String text) {
        ObjectNode event = parseObject(text);
        JsonNode error = event == null ? null : event.get("error");
        if (error instanceof ObjectNode e && "invalid_api_key".equals(e.path("code").asText(null))) {
            e.put("message", "OpenAI rejected the gateway's API key; the gateway operator must fix OPENAI_API_KEY.");
            return write(event, text);
        }
        return text;
    }

    /** The event that carries a transcription's usage (billed apart from responses). */
    static final String TRANSCRIPTION_COMPLETED = ReportedUsage.TRANSCRIPTION_COMPLETED;

    /** The usage a {@code response.done} or a transcription's completed event reports ({@link ReportedUsage}); null when none. */
    Usage usage(String event) {
        ObjectNode parsed = parseObject(event);
        return parsed == null ? null : ReportedUsage.of(parsed);
    }

    /** The upstream session id of a {@code session.created} event, for logs; "-" when absent. */
    String sessionId(String sessionCreated) {
        ObjectNode event = parseObject(sessionCreated);
        return event == null ? "-" : event.path("session").path("id").asText("-");
    }

    /** An OpenAI-shaped {@code error} event. */
    String errorEvent(String errorType, String code, String message) {
        return errorEvent(errorType, code, message, null, null);
    }

    /** An OpenAI-shaped {@code error} event naming the offending member and the client event it answers (either may be null). */
    String errorEvent(String errorType, String code, String message, String param, String eventId) {
        ObjectNode event = mapper.createObjectNode();
        event.put("type", "error");
        event.put("event_id", "gw_" + Long.toHexString(System.nanoTime()));
        ObjectNode error = event.putObject("error");
        error.put("type", errorType);
        error.put("code", code);
        error.put("message", message);
        error.put("param", param);
        error.put("event_id", eventId);
        return event.toString();
    }

    private ObjectNode parseObject(String text) {
        try {
            JsonNode node = mapper.readTree(text);
            return node instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null;
        }
    }

    private String write(ObjectNode event, String original) {
        try {
            return mapper.writeValueAsString(event);
        } catch (IOException e) {
            return original;
        }
    }
}
