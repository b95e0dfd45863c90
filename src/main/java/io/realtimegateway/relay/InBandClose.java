package io.realtimegateway.relay;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocketBase;

/**
 * A close the gateway decides itself and tells the client in-band, after the upgrade: an OpenAI-shaped
 * {@code error} event when there is an error code, then the close frame. Browsers never see an HTTP status, so
 * this is how every client learns why. A {@link Refusal} ends a session before it relayed anything; a
 * {@link Termination} ends one that was relaying. They differ in the metric they count.
 */
sealed interface InBandClose permits Refusal, Termination {

    /** The error event's {@code error.code}; null to send the close frame alone. */
    String errorCode();

    /** The error event's {@code error.message}. */
    String message();

    /** The close frame (reason already cut to 123 bytes). */
    CloseCodes.Close close();

    /** Counts this close in its metric. */
    void count(RelayMetrics metrics);

    /** Writes the error event (if any), then the close frame once the event is out. */
    default void sendTo(WebSocketBase client, ErrorEvents events) {
        Future<Void> first = errorCode() == null ? Future.succeededFuture()
                : client.writeTextMessage(events.errorEvent("invalid_request_error", errorCode(), message()));
        CloseCodes.Close close = close();
        first.onComplete(sent -> client.close((short) close.code(), close.reason()));
    }
}
