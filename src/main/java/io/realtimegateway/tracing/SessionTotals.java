package io.realtimegateway.tracing;

/**
 * A session's counters at its close, for its span.
 *
 * @param upstreamSession OpenAI's session id, a call's id, or "-" when none was learnt
 * @param clientClose the close code the client got or sent; 0 when there is no client WebSocket (a WebRTC call)
 * @param upstreamClose upstream's close code, {@code connect-failed}, or "-" when upstream never opened
 */
public record SessionTotals(String upstreamSession, int clientClose, String upstreamClose, long framesUp, long bytesUp, long framesDown,
        long bytesDown, long inputTokens, long outputTokens, long totalTokens) {
}
