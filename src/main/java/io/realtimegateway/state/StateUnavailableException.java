package io.realtimegateway.state;

/**
 * The state store could not answer (Redis unreachable, timed out, refused our credentials or out of memory).
 * Callers fail closed: refuse with 503 rather than guess. The message names the cause and never a secret.
 */
public class StateUnavailableException extends RuntimeException {

    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
