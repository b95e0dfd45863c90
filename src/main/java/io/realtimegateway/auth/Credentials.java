package io.realtimegateway.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The one parser of presented credentials: the {@code Authorization} header ({@code Bearer <credential>}, or a key as the
 * password of {@code Basic}) and the {@code openai-insecure-api-key.<credential>} WebSocket subprotocol that browsers use
 * because they cannot set headers on a WebSocket. It only splits text: which credential opens what is decided by
 * {@link GatewayIdentityProvider} (callers and admins) and by the ticket doors.
 *
 * @param scheme how the credential came
 * @param secret the presented secret (the Bearer credential or the Basic password), null when absent or unreadable;
 *               never logged or quoted
 */
public record Credentials(Scheme scheme, String secret) {

    /** The subprotocol prefix under which browsers send a credential on a WebSocket upgrade (OpenAI's convention). */
    public static final String SUBPROTOCOL_KEY_PREFIX = "openai-insecure-api-key.";
    private static final String BEARER = "Bearer ";
    private static final String BASIC = "Basic ";

    /** How a credential came. */
    public enum Scheme {
        /** No {@code Authorization} header (or a blank one). */
        NONE,
        /** {@code Authorization: Bearer <credential>}. */
        BEARER,
        /** {@code Authorization: Basic base64(user:password)}, the password being the credential (the user name is ignored). */
        BASIC,
        /** Any other scheme, or a malformed Bearer or Basic header. */
        OTHER
    }

    /** Secrets stay out of logs and exception messages. */
    @Override
    public String toString() {
        return "Credentials[" + scheme + "]";
    }

    /** The credential of a request's {@code Authorization} header: the one place that reads that header of a request. */
    public static Credentials of(HttpServerRequest request) {
        return parse(request.getHeader(HttpHeaders.AUTHORIZATION));
    }

    /**
     * A ticket door's credential: {@code Authorization: Bearer <credential>}, else an {@code openai-insecure-api-key.}
     * subprotocol (browsers cannot set headers on a WebSocket); null when the request carries neither.
     */
    public static String bearerOrSubprotocol(HttpServerRequest request) {
        return bearerOrSubprotocol(request.getHeader(HttpHeaders.AUTHORIZATION), offeredSubprotocols(request));
    }

    /** {@link #bearerOrSubprotocol(HttpServerRequest)} of a raw {@code Authorization} header and the offered subprotocols. */
    static String bearerOrSubprotocol(String authorization, List<String> offered) {
        String bearer = bearer(authorization);
        return bearer != null ? bearer : subprotocolKey(offered);
    }

    /** The credential of {@code Authorization: Bearer <credential>}, or null when the header is absent or another scheme. */
    public static String bearer(String authorization) {
        Credentials parsed = parse(authorization);
        return parsed.scheme == Scheme.BEARER ? parsed.secret : null;
    }

    /** The credential sent as an {@code openai-insecure-api-key.<credential>} subprotocol, or null when none was offered. */
    public static String subprotocolKey(List<String> offered) {
        for (String protocol : offered) {
            if (protocol.startsWith(SUBPROTOCOL_KEY_PREFIX) && protocol.length() > SUBPROTOCOL_KEY_PREFIX.length()) {
                return protocol.substring(SUBPROTOCOL_KEY_PREFIX.length());
            }
        }
        return null;
    }

    /** The subprotocols a WebSocket upgrade offers, from every {@code Sec-WebSocket-Protocol} header, in order. */
    public static List<String> offeredSubprotocols(HttpServerRequest request) {
        List<String> result = new ArrayList<>();
        for (String header : request.headers().getAll("Sec-WebSocket-Protocol")) {
            for (String part : header.split(",")) {
                String trimmed = part.trim();
                if (!trimmed.isEmpty()) {
                    result.add(trimmed);
                }
            }
        }
        return result;
    }

    /** Parses a raw {@code Authorization} header (null when absent). Scheme names are case-insensitive. */
    public static Credentials parse(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new Credentials(Scheme.NONE, null);
        }
        if (authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String credential = authorization.substring(BEARER.length()).trim();
            return credential.isEmpty() ? new Credentials(Scheme.OTHER, null) : new Credentials(Scheme.BEARER, credential);
        }
        if (authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(BASIC.length()).trim()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                if (colon >= 0 && colon < pair.length() - 1) {
                    return new Credentials(Scheme.BASIC, pair.substring(colon + 1));
                }
            } catch (IllegalArgumentException notBase64) {
                // malformed: judged like any other scheme
            }
        }
        return new Credentials(Scheme.OTHER, null);
    }
}
