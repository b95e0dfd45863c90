package io.realtimegateway.relay;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.netty.buffer.ByteBufInputStream;
import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.realtime.RealtimeConfig;
import io.realtimegateway.state.Usage;
import io.realtimegateway.usage.ReportedUsage;
import io.vertx.core.buffer.Buffer;

/**
 * What the relay reads, rewrites and refuses in the event stream. Only the event {@code type} is read from every
 * frame, text or binary (from its bytes, see {@link EventTypes}); full parsing is limited to the few events policy needs, and
 * every other frame passes byte-for-byte. Uses Jackson trees only, so nothing needs reflection registration.
 * <p>
 * <b>Server instructions</b> ({@code GATEWAY_REALTIME_INSTRUCTIONS}) hold in every session, in one of two ways:
 * <ul>
 * <li>a single-use ticket's session (a browser's, an app's): the client can neither replace them nor add its own
 * ({@code session.update} instructions are replaced by the server's, {@code response.create} instructions refused
 * with {@code instructions_locked}), since text placed after the server's can still argue with it;</li>
 * <li>a reusable ticket's session ({@link SessionPlan#trusted()}, only API-key callers, i.e. backends such as a LiveKit
 * agent, get one): its {@code session.update} and {@code response.create} instructions pass after the server's, as
 * server text, a blank line, then the client's ({@link #SEPARATOR}), within {@code gateway.realtime.max-instructions-length}
 * characters in all ({@code instructions_too_long} otherwise). Echoes ({@code session.created}/{@code updated}) show
 * the client its own part only.</li>
 * </ul>
 * Either way {@code prompt}s and system or developer messages from clients are refused.
 * <p>
 * One class because it is the one place that knows the Realtime event shapes the gateway touches: the client verdicts,
 * the redaction of upstream events and the usage read from {@code response.done} all parse the same few events with
 * the same mapper and the same error-event format, and a reader checking what the relay inspects finds it all here.
 */
@ApplicationScoped
class RelayPolicy {

    /** The {@code event_id} of the gateway's own {@code session.update}, so upstream's answer to it can be told apart. */
    static final String INSTRUCTIONS_EVENT_ID = "gw_instructions";

    /** Between the server's instructions and a trusted session's own. */
    static final String SEPARATOR = "\n\n";

    /** Message roles that carry instructions; refused from clients while the server sets instructions. */
    private static final Set<String> INSTRUCTION_ROLES = Set.of("system", "developer");

    /** What becomes of one client message, text or binary. */
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

    /**
     * What is scrubbed from upstream's words (error events, close reasons) besides the configured secrets: anything
     * shaped like an OpenAI key ({@code sk-…}, also masked with {@code *} or {@code ...}), a client secret or relay
     * ticket ({@code ek_…}), a JWT, or the token after {@code Bearer}. Not preceded by a word character, so "task-" stays.
     */
    private static final Pattern SECRET_SHAPES = Pattern.compile("(?<![A-Za-z0-9_-])(?:sk-(?:[A-Za-z0-9_*-]+)?(?:\\.\\.\\.)?[A-Za-z0-9_*-]+"
            + "|ek_[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*|eyJ[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)+)|(?<=\\b[Bb]earer )[A-Za-z0-9._~+/=-]+");
    /** What a scrubbed secret becomes; the rest of the text stays. */
    static final String SCRUBBED = "[redacted]";

    private final ObjectMapper mapper;
    private final ObjectReader strict;
    private final Optional<String> instructions;
    private final boolean redactInstructions;
    private final int maxInstructionsLength;
    /** The gateway's own secrets that upstream could quote back: the OpenAI key (and the ticket secret, to be safe). */
    private final List<String> secrets;

    RelayPolicy(ObjectMapper mapper, RealtimeConfig config, OpenAiCredentials openai) {
        this.mapper = mapper;
        this.strict = mapper.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        this.instructions = config.instructions().filter(s -> !s.isBlank());
        this.redactInstructions = config.redactInstructions();
        this.maxInstructionsLength = config.maxInstructionsLength();
        this.secrets = Stream.of(openai.apiKey(), config.ticketSecret()).flatMap(Optional::stream).filter(s -> !s.isBlank()).toList();
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
     * What to do with a client message (text or binary: both are read as a JSON event). Frames naming two {@code type}s are refused. {@code session.update}'s
     * {@code session.model} becomes the effective model. With server instructions: {@code session.update}'s
     * {@code session.instructions} is replaced by them (in a trusted session: by them followed by the client's, as is
     * {@code response.create}'s {@code response.instructions}); a {@code session.update} or {@code response.create} with a
     * {@code prompt}, in a single-use ticket's session a {@code response.create} with other {@code instructions}, and a system or developer message
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
            ObjectNode event = parseObject(utf8);
            return new Refuse(RelayMetrics.EventRefused.BUDGET_EXCEEDED, null, budget.exhaustedMessage(),
                    event == null ? null : event.path("event_id").asText(null));
        }
        boolean locked = instructions.isPresent();
        if (!"session.update".equals(type) && !(locked && ("response.create".equals(type) || "conversation.item.create".equals(type)))) {
            return Pass.PASS;
        }
        // Parsed from the bytes, as typeOf read them (Jackson detects UTF-8, UTF-16 or UTF-32 alike), not from a UTF-8
        // decoding: a binary frame in another encoding must not name a type that the parse here cannot read.
        ObjectNode event;
        try (InputStream in = new ByteBufInputStream(utf8.getByteBuf())) {
            JsonNode node = strict.readTree(in);
            event = node instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            // Not JSON (upstream answers that itself), or a duplicate key: only the lenient parse tells them apart.
            return parseObject(utf8) == null ? Pass.PASS : duplicate(null);
        }
        if (event == null) {
            return Pass.PASS;
        }
        String eventId = event.path("event_id").asText(null);
        return switch (type) {
            case "session.update" -> sessionUpdate(event, utf8, plan, eventId);
            case "response.create" -> responseCreate(event, utf8, plan, eventId);
            default -> conversationItem(event, eventId);
        };
    }

    private Verdict sessionUpdate(ObjectNode event, Buffer original, SessionPlan plan, String eventId) {
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
            String combined = plan.trusted() ? combined(s.path("instructions").asText(null)) : instructions.get();
            if (combined.length() > maxInstructionsLength) {
                return tooLong("session.instructions", eventId);
            }
            s.put("instructions", combined);
            changed = true;
        }
        return changed ? new Rewrite(write(event, original.toString())) : Pass.PASS;
    }

    private Verdict responseCreate(ObjectNode event, Buffer original, SessionPlan plan, String eventId) {
        if (!(event.get("response") instanceof ObjectNode r)) {
            return Pass.PASS;
        }
        boolean otherInstructions = r.has("instructions") && !instructions.get().equals(r.path("instructions").asText(null));
        if (otherInstructions && !plan.trusted()) {
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
        if (!otherInstructions) {
            return Pass.PASS;
        }
        // A response's instructions replace the session's for that response: the server's go first in them too.
        String combined = combined(r.path("instructions").asText(null));
        if (combined.length() > maxInstructionsLength) {
            return tooLong("response.instructions", eventId);
        }
        r.put("instructions", combined);
        return new Rewrite(write(event, original.toString()));
    }

    /** The server's instructions, then a trusted client's own (none: the server's alone). */
    private String combined(String client) {
        return client == null || client.isBlank() ? instructions.get() : instructions.get() + SEPARATOR + client;
    }

    private Refuse tooLong(String param, String eventId) {
        return new Refuse(RelayMetrics.EventRefused.INSTRUCTIONS_TOO_LONG, param, "Together with the server's instructions, " + param
                + " would exceed this gateway's limit of " + maxInstructionsLength + " characters; shorten it.", eventId);
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

    /** {@link #redactSession(String, SessionPlan)} for a single-use ticket's session. */
    String redactSession(String text) {
        return redactSession(text, new SessionPlan(null, null, false));
    }

    /**
     * A {@code session.created} or {@code session.updated} as the client may see it, while the server sets
     * instructions and {@code gateway.realtime.redact-instructions} is on: without the server's text. A single-use
     * ticket's client sees no {@code session.instructions}; a trusted one sees its own part of the combined text
     * (removed when there is none, or when the text is not the server's followed by the client's). The same text otherwise.
     */
    String redactSession(String text, SessionPlan plan) {
        if (instructions.isEmpty() || !redactInstructions) {
            return text;
        }
        ObjectNode event = parseObject(text);
        if (event != null && event.get("session") instanceof ObjectNode s && s.has("instructions")) {
            JsonNode echoed = s.remove("instructions");
            String prefix = instructions.get() + SEPARATOR;
            if (plan.trusted() && echoed.isTextual() && echoed.textValue().startsWith(prefix) && echoed.textValue().length() > prefix.length()) {
                s.put("instructions", echoed.textValue().substring(prefix.length()));
            }
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
     * An upstream {@code error} event as the client may see it. Upstream's {@code invalid_api_key} message quotes a
     * fragment of the server key ("Incorrect API key provided: sk-...abcd"): it is replaced by a message for the
     * operator. Then every string in the event ({@code message}, {@code param}, {@code event_id}, any other member) is
     * {@link #scrub scrubbed}. An event with nothing to change passes as it came.
     */
    String redactUpstreamError(String text) {
        ObjectNode event = parseObject(text);
        if (event == null) {
            return scrub(text);
        }
        boolean changed = false;
        if (event.get("error") instanceof ObjectNode e && "invalid_api_key".equals(e.path("code").asText(null))) {
            e.put("message", "OpenAI rejected the gateway's API key; the gateway operator must fix OPENAI_API_KEY.");
            changed = true;
        }
        changed |= scrubStrings(event);
        return changed ? write(event, scrub(text)) : text;
    }

    /**
     * The text without the gateway's secrets and without anything shaped like a key or token ({@link #SECRET_SHAPES}),
     * each replaced by {@value #SCRUBBED}; the rest of the text stays. For what upstream says to clients: error events
     * and close reasons.
     */
    String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String scrubbed = text;
        for (String secret : secrets) {
            scrubbed = scrubbed.replace(secret, SCRUBBED);
        }
        return SECRET_SHAPES.matcher(scrubbed).replaceAll(SCRUBBED);
    }

    /** Scrubs every string value under {@code node}, in place; true when one changed. */
    private boolean scrubStrings(JsonNode node) {
        boolean changed = false;
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> members = object.fields(); members.hasNext();) {
                Map.Entry<String, JsonNode> member = members.next();
                if (member.getValue().isTextual()) {
                    String scrubbed = scrub(member.getValue().textValue());
                    if (!scrubbed.equals(member.getValue().textValue())) {
                        member.setValue(TextNode.valueOf(scrubbed));
                        changed = true;
                    }
                } else {
                    changed |= scrubStrings(member.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    String scrubbed = scrub(array.get(i).textValue());
                    if (!scrubbed.equals(array.get(i).textValue())) {
                        array.set(i, TextNode.valueOf(scrubbed));
                        changed = true;
                    }
                } else {
                    changed |= scrubStrings(array.get(i));
                }
            }
        }
        return changed;
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

    private ObjectNode parseObject(Buffer bytes) {
        try (InputStream in = new ByteBufInputStream(bytes.getByteBuf())) {
            JsonNode node = mapper.readTree(in);
            return node instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null;
        }
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
