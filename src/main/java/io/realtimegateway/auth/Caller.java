package io.realtimegateway.auth;

import java.util.Map;
import java.util.stream.Collectors;

import io.quarkus.security.identity.SecurityIdentity;
import io.realtimegateway.problem.ProblemException;

/**
 * Who called a token or ticket endpoint. {@code id} is safe to log: the JWT subject, the fingerprint of the
 * API key, or {@code anonymous}. {@code claims} are a caller JWT's verified claims (empty in the other modes); they
 * may hold personal data, so {@link #toString()} leaves them out.
 */
public record Caller(String id, Map<String, Object> claims, Via via) {

    /** How the caller proved who it is: what it may ask for depends on it (an API key is a trusted backend, a JWT an end user). */
    public enum Via {
        /** No caller credential: anonymous (mode none), an admin, or the gateway itself (the console). */
        NONE,
        /** A key of {@code GATEWAY_AUTH_API_KEYS}: a backend. */
        API_KEY,
        /** A verified caller JWT: an end user. */
        JWT
    }

    public static final Caller ANONYMOUS = new Caller("anonymous");
    /** The {@link SecurityIdentity} attribute that holds the caller. */
    static final String ATTRIBUTE = Caller.class.getName();

    /**
     * The caller of the current request, as the gateway's authentication mechanism verified it. The resources that call
     * this declare the role they need ({@code @RolesAllowed}), so Quarkus has refused an unauthenticated request before.
     *
     * @throws ProblemException 401 when the identity was not made by the gateway's mechanism (a path of no caller door)
     */
    public static Caller of(SecurityIdentity identity) {
        Caller caller = identity == null ? null : identity.getAttribute(ATTRIBUTE);
        if (caller == null) {
            throw ProblemException.unauthorized("This endpoint requires an 'Authorization: Bearer <credential>' header.", null);
        }
        return caller;
    }

    /** A caller without a caller credential (anonymous, admin, the gateway's own). */
    public Caller(String id) {
        this(id, Map.of(), Via.NONE);
    }

    /** A caller authenticated by a JWT with these verified claims. */
    public Caller(String id, Map<String, Object> claims) {
        this(id, claims, Via.JWT);
    }

    public Caller {
        via = via == null ? Via.NONE : via;
        // JSON null claims are left out (Map.copyOf refuses null values).
        claims = claims == null ? Map.of() : claims.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Claims may carry personal data: logs show the id only. */
    @Override
    public String toString() {
        return "Caller[" + id + "]";
    }
}
