package io.realtimegateway.relay;

/** The {@code error} events of a protocol, as the gateway's own closes and refusals send them. */
public interface ErrorEvents {

    /** An {@code error} event of this protocol's shape. */
    String errorEvent(String errorType, String code, String message);
}
