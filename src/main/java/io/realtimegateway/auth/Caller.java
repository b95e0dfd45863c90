package io.realtimegateway.auth;

/**
 * Who called a token or ticket endpoint. {@code id} is safe to log: the JWT subject, the fingerprint of the
 * API key, or {@code anonymous}.
 */
public record Caller(String id) {

    public static final Caller ANONYMOUS = new Caller("anonymous");
}
