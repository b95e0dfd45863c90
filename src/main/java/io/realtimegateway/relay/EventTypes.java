package io.realtimegateway.relay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;

/**
 * The top-level {@code type} of an event, read the way a JSON parser reads it, and whether a frame names two.
 * <p>
 * A frame with two top-level {@code type} members would be classified here by one and acted on upstream by the
 * other, so {@link #of(Buffer, JsonFactory)} answers {@link #DUPLICATE} for it. That costs no decoding on the hot
 * path: without a backslash a {@code type} key can only be spelt {@code "type"}, and base64 audio contains neither
 * a quote nor a backslash, so one SWAR pass over the frame (8 bytes a step, quotes and backslashes at once) clears nearly every
 * frame; only a frame with an escape or a second {@code "type"} token gets a streaming parse of its members.
 */
final class EventTypes {

    /** The answer for a frame with more than one top-level {@code type} member (compared by identity). */
    static final String DUPLICATE = new String("<duplicate type>");

    private static final byte[] TYPE_KEY = "\"type\"".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_TYPE_LENGTH = 128;
    private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;
    private static final long QUOTES = 0x2222222222222222L;

    private EventTypes() {
    }

    /** The event type of a frame's bytes (text or binary); {@link #DUPLICATE} when it has two; null when absent or not JSON. */
    static String of(Buffer utf8, JsonFactory json) {
        ByteBuffer bytes = view(utf8);
        if (bytes != null) {
            String leading = leadingType(bytes);
            if (leading != null && !mayNameAnotherType(bytes)) {
                return leading;
            }
        }
        // Streamed from the frame's memory, not copied: a large binary frame that is not JSON fails at its first byte.
        try (JsonParser parser = json.createParser((InputStream) new ByteBufInputStream(utf8.getByteBuf()))) {
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
        ByteBuffer bytes = view(utf8);
        return bytes == null || mayNameAnotherType(bytes);
    }

    /** The value of a leading {@code "type"} member when it is plain ASCII without escapes; null otherwise. */
    static String leadingType(Buffer json) {
        ByteBuffer bytes = view(json);
        return bytes == null ? null : leadingType(bytes);
    }

    /**
     * The frame's bytes as one NIO buffer over the same memory (no copy), or null when they are not one region. Read
     * through it, a scan costs a plain memory load per 8 bytes; through {@code Buffer.getByte} and Netty's wrappers every
     * byte paid index and reference-count checks and a megamorphic call (~10 % of the relay's samples).
     */
    private static ByteBuffer view(Buffer utf8) {
        if (utf8 instanceof BufferImpl impl) {
            ByteBuf bytes = impl.byteBuf();
            if (bytes.nioBufferCount() == 1) {
                return bytes.nioBuffer(bytes.readerIndex(), bytes.readableBytes());
            }
        }
        return null; // not Netty-backed, or in pieces: the parse decides
    }

    /** One pass, 8 bytes at a time: words with neither a quote nor a backslash (all of base64 audio) are skipped whole. */
    private static boolean mayNameAnotherType(ByteBuffer bytes) {
        int end = bytes.limit();
        int seen = 0;
        int i = bytes.position();
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long word = bytes.getLong(i);
            if ((hasByte(word, BACKSLASHES) | hasByte(word, QUOTES)) == 0) {
                continue;
            }
            for (int k = i; k < i + Long.BYTES; k++) {
                byte b = bytes.get(k);
                if (b == '\\' || b == '"' && typeKeyAt(bytes, k, end) && ++seen > 1) {
                    return true;
                }
            }
        }
        for (; i < end; i++) {
            byte b = bytes.get(i);
            if (b == '\\' || b == '"' && typeKeyAt(bytes, i, end) && ++seen > 1) {
                return true;
            }
        }
        return false;
    }

    /** Non-zero when some byte of {@code word} equals the byte repeated in {@code pattern} (the SWAR zero-byte test). */
    private static long hasByte(long word, long pattern) {
        long x = word ^ pattern;
        return (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
    }

    private static boolean typeKeyAt(ByteBuffer bytes, int at, int end) {
        if (at + TYPE_KEY.length > end) {
            return false;
        }
        for (int k = 0; k < TYPE_KEY.length; k++) {
            if (bytes.get(at + k) != TYPE_KEY[k]) {
                return false;
            }
        }
        return true;
    }

    private static String leadingType(ByteBuffer json) {
        int n = json.limit();
        int i = skipSpace(json, json.position(), n);
        if (i >= n || json.get(i) != '{') {
            return null;
        }
        i = skipSpace(json, i + 1, n);
        if (n - i < TYPE_KEY.length) {
            return null;
        }
        for (byte b : TYPE_KEY) {
            if (json.get(i++) != b) {
                return null;
            }
        }
        i = skipSpace(json, i, n);
        if (i >= n || json.get(i) != ':') {
            return null;
        }
        i = skipSpace(json, i + 1, n);
        if (i >= n || json.get(i) != '"') {
            return null;
        }
        int start = ++i;
        for (int end = Math.min(n, start + MAX_TYPE_LENGTH); i < end; i++) {
            byte b = json.get(i);
            if (b == '"') {
                byte[] type = new byte[i - start];
                json.get(start, type);
                return new String(type, StandardCharsets.US_ASCII);
            }
            if (b == '\\' || b < 0x20) { // an escape, a control character, or a non-ASCII byte (negative)
                return null;
            }
        }
        return null;
    }

    private static int skipSpace(ByteBuffer json, int i, int n) {
        while (i < n) {
            byte b = json.get(i);
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                break;
            }
            i++;
        }
        return i;
    }
}
