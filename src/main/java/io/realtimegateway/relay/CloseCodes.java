package io.realtimegateway.relay;

import java.nio.charset.StandardCharsets;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.http.WebSocketBase;

/**
 * Close-code mapping: what a socket's close was, what may be mirrored to the other leg, what must be replaced,
 * and the 123-byte reason limit.
 */
final class CloseCodes {

    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int POLICY = 1008;
    static final int TOO_BIG = 1009;
    static final int INTERNAL = 1011;
    static final int TRY_AGAIN = 1013;
    /** Never sent: the close frame had no status, the connection dropped without one, TLS failed. */
    private static final int NO_STATUS = 1005;
    private static final int ABNORMAL = 1006;
    private static final int TLS = 1015;
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

    /** A socket's received close status: 1005 when the close frame had none, 1006 when there was no close frame. */
    static int received(WebSocketBase socket) {
        Short status = socket.closeStatusCode();
        if (status != null) {
            return status;
        }
        return socket.closeReason() != null ? NO_STATUS : ABNORMAL;
    }

    static boolean sendable(int code) {
        return code != NO_STATUS && code != ABNORMAL && code != TLS && WebSocketCloseStatus.isValidStatusCode(code);
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
