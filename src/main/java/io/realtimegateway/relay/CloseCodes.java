package io.realtimegateway.relay;

import java.nio.charset.StandardCharsets;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/** Close-code mapping: what may be mirrored, what must be replaced, and the 123-byte reason limit. */
final class CloseCodes {

    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int POLICY = 1008;
    static final int TOO_BIG = 1009;
    static final int INTERNAL = 1011;
    static final int TRY_AGAIN = 1013;
    private static final int MAX_REASON_BYTES = 123;

    private CloseCodes() {
    }

    /** A close frame's status code and reason (at most 123 UTF-8 bytes). */
    record Close(int code, String reason) {
    }

    /**
     * Upstream's close as the client must see it: mirrored, except the codes that may never be sent in a close
     * frame (1005 no status, 1006 abnormal, 1015 TLS, invalid ones), which become 1011.
     */
    static Close fromUpstream(int code, String reason) {
        if (!sendable(code)) {
            return reason(INTERNAL, "upstream connection lost (" + code + ")");
        }
        return reason(code, reason);
    }

    /** The client's close as upstream should see it: mirrored when sendable, else 1001. */
    static Close fromClient(int code, String reason) {
        return sendable(code) ? reason(code, reason) : reason(GOING_AWAY, "client went away");
    }

    static boolean sendable(int code) {
        return code != 1005 && code != 1006 && code != 1015 && WebSocketCloseStatus.isValidStatusCode(code);
    }

    static Close reason(int code, String reason) {
        return new Close(code, truncate(reason == null ? "" : reason));
    }

    /** Cuts a reason to 123 UTF-8 bytes without splitting a character. */
    static String truncate(String reason) {
        if (reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
            return reason;
        }
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < reason.length();) {
            int cp = reason.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > MAX_REASON_BYTES) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += len;
            i += Character.charCount(cp);
        }
        return out.toString();
    }
}
