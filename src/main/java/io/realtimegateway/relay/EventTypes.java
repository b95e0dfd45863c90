package io.realtimegateway.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;

/**
 * The top-level {@code type} of an event, read the way a JSON parser reads it, and whether a frame names two.
 * <p>
 * A frame with two top-level {@code type} members would be classified here by one and acted on upstream by the
 * other, so {@link #of(Buffer, JsonFactory)} answers {@link #DUPLICATE} for it. That costs no decoding on the hot
 * path: without a backslash a {@code type} key can only be spelt {@code "type"}, and base64 audio contains neither
 * a quote nor a backslash, so two SWAR byte searches over the frame (Netty's {@code indexOf}) clear nearly every
 * frame; only a frame with an escape or a second {@code "type"} token gets a streaming parse of its members.
 */
final class EventTypes {

    /** The answer for a frame with more than one top-level {@code type} member (compared by identity). */
    static final String DUPLICATE = new String("<duplicate type>");

    private static final byte[] TYPE_KEY = "\"type\"".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_TYPE_LENGTH = 128;

    private EventTypes() {
    }

    /** The event type of a text frame's UTF-8 bytes; {@link #DUPLICATE} when it has two; null when absent or not JSON. */
    static String of(Buffer utf8, JsonFactory json) {
        String leading = leadingType(utf8);
        if (leading != null && !mayNameAnotherType(utf8)) {
            return leading;
        }
        try (JsonParser parser = json.createParser(utf8.getBytes())) {
            return members(parser);
        } catch (IOException e) {
            return null;
        }
    }

    /** The event type of a decoded event, as {@link #of(Buffer, JsonFactory)}. */
    static String of(String text, JsonFactory json) {
        try (JsonParser parser = json.createParser(text)) {
            return members(parser);
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads every top-level member (skipping nested values) and answers the one {@code type} string. */
    private static String members(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String type = null;
        int types = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            boolean isType = "type".equals(parser.currentName());
            JsonToken value = parser.nextToken();
            if (isType) {
                types++;
                type = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            }
            parser.skipChildren();
        }
        return types > 1 ? DUPLICATE : type;
    }

    /**
     * Whether the frame might have a second top-level {@code type}: it has a backslash (a key could be spelt
     * {@code "\u0074ype"}), or the token {@code "type"} appears more than once (nested {@code type} members and
     * string values also count: the parse then decides).
     */
    static boolean mayNameAnotherType(Buffer utf8) {
        if (utf8 instanceof BufferImpl impl) {
            ByteBuf bytes = impl.byteBuf();
            int from = bytes.readerIndex();
            int to = bytes.writerIndex();
            if (bytes.indexOf(from, to, (byte) '\\') >= 0) {
                return true;
            }
            int seen = 0;
            for (int i = bytes.indexOf(from, to, (byte) '"'); i >= 0 && i + TYPE_KEY.length <= to; i = bytes.indexOf(i + 1, to, (byte) '"')) {
                if (typeKeyAt(bytes, i) && ++seen > 1) {
                    return true;
                }
            }
            return false;
        }
        return true; // not a Netty-backed buffer: let the parse decide
    }

    private static boolean typeKeyAt(ByteBuf bytes, int at) {
        for (int k = 0; k < TYPE_KEY.length; k++) {
            if (bytes.getByte(at + k) != TYPE_KEY[k]) {
                return false;
            }
        }
        return true;
    }

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
}
