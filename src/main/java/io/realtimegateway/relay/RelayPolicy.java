package io.realtimegateway.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.realtimegateway.config.RealtimeConfig;
import io.vertx.core.buffer.Buffer;

/**
 * What the relay reads and rewrites in the event stream. Only the event {@code type} is read from every text
 * frame (from its bytes, stopping at it); full parsing is limited to the few events policy needs, and every
 * other frame passes byte-for-byte. Uses Jackson trees only, so nothing needs reflection registration.
 */
@ApplicationScoped
class RelayPolicy {

    private final ObjectMapper mapper;
    private final Optional<String> instructions;

    RelayPolicy(ObjectMapper mapper, RealtimeConfig config) {
        this.mapper = mapper;
        this.instructions = config.instructions().filter(s -> !s.isBlank());
    }

    /** Whether a client event of this type may be changed by {@link #rewriteClientEvent}; all others pass as they are. */
    boolean mayRewrite(String clientEventType) {
        return "session.update".equals(clientEventType) || ("response.create".equals(clientEventType) && instructions.isPresent());
    }

    /** Whether the relay reads an upstream event of this type (errors are redacted, session ids and usage recorded). */
    static boolean readsUpstream(String upstreamEventType) {
        return "error".equals(upstreamEventType) || "session.created".equals(upstreamEventType) || "response.done".equals(upstreamEventType);
    }

    /**
     * The client frame as it must go upstream: {@code session.update}'s {@code session.model} becomes the effective
     * model, and with server instructions configured, {@code session.instructions} and {@code response.create}'s
     * {@code response.instructions} are replaced by them.
     */
    String rewriteClientEvent(String text, SessionPlan plan) {
        String type = typeOf(text);
        if ("session.update".equals(type)) {
            ObjectNode event = parseObject(text);
            JsonNode session = event == null ? null : event.get("session");
            if (session instanceof ObjectNode s) {
                boolean changed = false;
                if (!plan.transcription() && s.has("model") && !plan.model().equals(s.path("model").asText(null))) {
                    s.put("model", plan.model());
                    changed = true;
                }
                if (instructions.isPresent() && s.has("instructions") && !instructions.get().equals(s.path("instructions").asText(null))) {
                    s.put("instructions", instructions.get());
                    changed = true;
                }
                return changed ? write(event, text) : text;
            }
        } else if ("response.create".equals(type) && instructions.isPresent()) {
            ObjectNode event = parseObject(text);
            JsonNode response = event == null ? null : event.get("response");
            if (response instanceof ObjectNode r && r.has("instructions") && !instructions.get().equals(r.path("instructions").asText(null))) {
                r.put("instructions", instructions.get());
                return write(event, text);
            }
        }
        return text;
    }

    /** The {@code session.update} that installs the server instructions, sent right after {@code session.created}. */
    Optional<String> instructionsUpdate(SessionPlan plan) {
        if (instructions.isEmpty() || plan.transcription()) {
            return Optional.empty();
        }
        ObjectNode event = mapper.createObjectNode();
        event.put("type", "session.update");
        event.put("event_id", "gw_instructions");
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

    /** Token usage from a {@code response.done} event. */
    record Usage(long input, long output, long total) {
    }

    /** The {@code response.usage} of a {@code response.done} event; null when it has none. */
    Usage usage(String responseDone) {
        ObjectNode event = parseObject(responseDone);
        JsonNode usage = event == null ? null : event.path("response").path("usage");
        if (usage == null || !usage.isObject()) {
            return null;
        }
        return new Usage(usage.path("input_tokens").asLong(), usage.path("output_tokens").asLong(), usage.path("total_tokens").asLong());
    }

    /** The upstream session id of a {@code session.created} event, for logs; "-" when absent. */
    String sessionId(String sessionCreated) {
        ObjectNode event = parseObject(sessionCreated);
        return event == null ? "-" : event.path("session").path("id").asText("-");
    }

    /** An OpenAI-shaped {@code error} event. */
    String errorEvent(String errorType, String code, String message) {
        ObjectNode event = mapper.createObjectNode();
        event.put("type", "error");
        event.put("event_id", "gw_" + Long.toHexString(System.nanoTime()));
        ObjectNode error = event.putObject("error");
        error.put("type", errorType);
        error.put("code", code);
        error.put("message", message);
        error.putNull("param");
        error.putNull("event_id");
        return event.toString();
    }

    /** The top-level {@code type} of an event, reading no further than needed; null when absent or not JSON. */
    String typeOf(String text) {
        try (JsonParser parser = mapper.getFactory().createParser(text)) {
            return typeOf(parser);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * {@link #typeOf(String)} of a text frame's UTF-8 bytes, without decoding them: OpenAI and the SDKs write
     * {@code type} first, so a byte scan of the leading {@code {"type":"…"}} answers nearly every frame; anything
     * else (another key first, escapes) gets the same streaming parse, over the bytes.
     */
    String typeOf(Buffer utf8) {
        String leading = leadingType(utf8);
        if (leading != null) {
            return leading;
        }
        try (JsonParser parser = mapper.getFactory().createParser(utf8.getBytes())) {
            return typeOf(parser);
        } catch (IOException e) {
            return null;
        }
    }

    private static String typeOf(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("type".equals(field) && value == JsonToken.VALUE_STRING) {
                return parser.getText();
            }
            parser.skipChildren();
        }
        return null;
    }

    private static final byte[] TYPE_KEY = "\"type\"".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_TYPE_LENGTH = 128;

    /** The value of a leading {@code "type"} member when it is plain ASCII without escapes; null otherwise. */
    static String leadingType(Buffer json) {
        int n = json.length();
        int i = skipSpace(json, 0, n);
        if (i >= n || json.getByte(i) != '{') {
            return null;
        }
        i = skipSpace(json, i + 1, n);
        if (n - i < TYPE_KEY.length) {
            return null;
        }
        for (byte b : TYPE_KEY) {
            if (json.getByte(i++) != b) {
                return null;
            }
        }
        i = skipSpace(json, i, n);
        if (i >= n || json.getByte(i) != ':') {
            return null;
        }
        i = skipSpace(json, i + 1, n);
        if (i >= n || json.getByte(i) != '"') {
            return null;
        }
        int start = ++i;
        for (int end = Math.min(n, start + MAX_TYPE_LENGTH); i < end; i++) {
            byte b = json.getByte(i);
            if (b == '"') {
                return json.getString(start, i, "US-ASCII");
            }
            if (b == '\\' || b < 0x20) { // an escape, a control character, or a non-ASCII byte (negative)
                return null;
            }
        }
        return null;
    }

    private static int skipSpace(Buffer json, int i, int n) {
        while (i < n) {
            byte b = json.getByte(i);
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                break;
            }
            i++;
        }
        return i;
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
