package io.realtimegateway.tracing;

/**
 * What the gateway traces: one span per token request, ticket, OpenAI client secret, and per relayed, WebRTC (or
 * other) session. A new session type is one constant here, then {@link Tracing#start} at its door and
 * {@code SessionRegistry.Live#trace()} on its session.
 *
 * @param spanName the span's name
 * @param sessionType {@code gateway.session.type}
 * @param callerDoor whether the door takes a caller credential (an API key in api-key mode); ticket doors never do,
 *        and only a caller door may continue the caller's trace ({@link Tracing#parent})
 */
public enum Traced {
    LIVEKIT_TOKEN("gateway.livekit.token", "livekit_token", true),
    TICKET("gateway.ticket", "ticket", true),
    CLIENT_SECRET("gateway.openai.client_secret", "client_secret", true),
    RELAY("gateway.realtime.session", "websocket", false),
    WEBRTC("gateway.realtime.call", "webrtc", false),
    LIVE("gateway.live.session", "live_websocket", false);

    private final String spanName;
    private final String sessionType;
    private final boolean callerDoor;

    Traced(String spanName, String sessionType, boolean callerDoor) {
        this.spanName = spanName;
        this.sessionType = sessionType;
        this.callerDoor = callerDoor;
    }

    public String spanName() {
        return spanName;
    }

    public String sessionType() {
        return sessionType;
    }

    boolean callerDoor() {
        return callerDoor;
    }
}
