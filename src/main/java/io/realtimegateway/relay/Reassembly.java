package io.realtimegateway.relay;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

/**
 * Turns the data frames of one leg into whole messages. A whole frame (nearly every one: the SDKs do not fragment)
 * is its own message and passes as it is; the fragments of a fragmented message are collected, up to the message
 * limit, and relayed as one frame. Only that rare path copies payloads. Touched only on the session's event loop.
 */
final class Reassembly {

    private final int limit;
    private final Runnable onTooBig;
    private final RelayBudget budget;
    private Buffer data;
    private boolean text;

    /**
     * @param limit the largest message in bytes
     * @param onTooBig run when a fragment takes a message over the limit
     * @param budget counts the fragments collected
     */
    Reassembly(int limit, Runnable onTooBig, RelayBudget budget) {
        this.limit = limit;
        this.onTooBig = onTooBig;
        this.budget = budget;
    }

    /**
     * The whole message this frame completes, or null: a control frame (Vert.x answers those), a fragment of a
     * message still open, or a fragment that takes it over the limit (then {@code onTooBig} ran and the fragments
     * collected so far are dropped). A message this returns may still be over the limit as a single frame.
     */
    WebSocketFrame message(WebSocketFrame frame) {
        if (!frame.isText() && !frame.isBinary() && !frame.isContinuation()) {
            return null; // close, ping, pong
        }
        if (frame.isFinal() && !frame.isContinuation() && data == null) {
            return frame;
        }
        Buffer payload = frame.binaryData();
        if (data == null) {
            data = Buffer.buffer();
            text = frame.isText();
        }
        if ((long) data.length() + payload.length() > limit) {
            release();
            onTooBig.run();
            return null;
        }
        data.appendBuffer(payload);
        budget.add(payload.length());
        if (!frame.isFinal()) {
            return null;
        }
        Buffer whole = data;
        release();
        return text ? WebSocketFrame.textFrame(whole.toString(), true) : WebSocketFrame.binaryFrame(whole, true);
    }

    /** Drops the fragments collected so far (the session ended, or the message is complete or too big). */
    void release() {
        if (data != null) {
            budget.remove(data.length());
            data = null;
        }
    }
}
