package io.realtimegateway.auth;

/**
 * The roles of a {@link io.quarkus.security.identity.SecurityIdentity} that {@link GatewayIdentityProvider} grants, for
 * {@code @RolesAllowed} and the HTTP permissions.
 */
public final class Roles {

    /** A caller of the token and ticket endpoints ({@code GATEWAY_AUTH_MODE}). */
    public static final String CALLER = "caller";
    /**
     * A caller that authenticated with an API key (a trusted backend, never a browser's end user): it may ask for
     * reusable relay tickets and name the identity they are for. Granted alongside {@link #CALLER}.
     */
    public static final String BACKEND = "backend";
    /** An admin ({@code GATEWAY_ADMIN_API_KEYS}; outside prod, any caller): diagnostics, usage, the console. */
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
