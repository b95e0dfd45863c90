package io.realtimegateway.credentials;

/**
 * Something wrong with where or how LiveKit keys are written, found while reading them. {@code check} is the
 * stable name of the preflight check that reports it. Never contains a secret.
 */
public record KeyProblem(String check, String message, String fix) {
}
