package io.realtimegateway.auth;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Authenticates callers of the token and ticket endpoints ({@code GATEWAY_AUTH_MODE}: none, api-key or jwt).
 * SKELETON: only mode none so far; api-key and jwt are being added with the token endpoints.
 */
@ApplicationScoped
public class CallerAuthenticator {

    /**
     * @param authorization the raw {@code Authorization} header, or null
     * @return the caller
     * @throws io.realtimegateway.problem.ProblemException 401 when the credentials are missing or wrong
     */
    public Caller authenticate(String authorization) {
        return Caller.ANONYMOUS;
    }
}
