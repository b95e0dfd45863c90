package io.realtimegateway.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.realtimegateway.config.Environment;
import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.problem.ProblemException;

/**
 * Admin access ({@code GATEWAY_ADMIN_API_KEYS}, bearer keys) to what lists the gateway's configuration, e.g. the token
 * diagnostics. In prod only an admin key opens it: a token caller's credential gets 403, none or a wrong one 401, and
 * without any admin key configured the endpoint does not exist (404). Outside prod it stays open to token callers.
 * <p>
 * A key may also come as the password of HTTP Basic (any user name), so that a browser can prompt for it (the console);
 * such a header is judged exactly as {@code Bearer <password>}.
 */
@ApplicationScoped
public class AdminAuthenticator {

    /** The challenge of the pages that ask a browser for the admin key (as the password of HTTP Basic). */
    public static final String BASIC_CHALLENGE = "Basic realm=\"realtime-gateway admin\", charset=\"UTF-8\"";
    private static final String BASIC = "Basic ";

    private final CallerAuthenticator callers;
    private final List<byte[]> adminKeyDigests;
    private final boolean prod;

    @Inject
    AdminAuthenticator(AdminConfig config, CallerAuthenticator callers, Environment environment) {
        this(config, callers, environment.isProd());
    }

    AdminAuthenticator(AdminConfig config, CallerAuthenticator callers, boolean prod) {
        this.callers = callers;
        this.adminKeyDigests = AuthKeys.adminKeys(config).stream().map(Fingerprint::sha256).toList();
        this.prod = prod;
    }

    /**
     * @param header the raw {@code Authorization} header ({@code Bearer <key>}, or a key as the password of {@code Basic}), or null
     * @return the admin ({@code admin:<key fingerprint>}), or outside prod the token caller
     * @throws ProblemException 404 in prod without admin keys, 401 without a valid credential, 403 for a token caller's
     */
    public Caller authenticate(String header) {
        String authorization = basicAsBearer(header);
        if (prod && adminKeyDigests.isEmpty()) {
            throw new ProblemException(404, ProblemException.TYPE_BASE + "not-found", "Not Found", "No such resource.");
        }
        if (!adminKeyDigests.isEmpty() && authorization != null && !authorization.isBlank()) {
            try {
                String presented = CallerAuthenticator.bearer(authorization);
                if (CallerAuthenticator.matchesAny(adminKeyDigests, presented)) {
                    return new Caller("admin:" + Fingerprint.sha256Prefix(presented));
                }
            } catch (ProblemException notBearer) {
                // not an admin credential; judged below like any other
            }
        }
        if (!prod) {
            return callers.authenticate(authorization);
        }
        CallerAuthenticator.bearer(authorization); // 401 when missing or not Bearer
        try {
            callers.authenticate(authorization);
        } catch (ProblemException notACaller) {
            throw ProblemException.unauthorized("This endpoint requires an admin key (GATEWAY_ADMIN_API_KEYS) as 'Authorization: Bearer <key>'.",
                    "invalid_token");
        }
        throw new ProblemException(403, ProblemException.TYPE_BASE + "admin-required", "Admin credential required",
                "This endpoint requires an admin key (GATEWAY_ADMIN_API_KEYS); token caller credentials are not accepted.");
    }

    /** {@code Basic base64(user:key)} as {@code Bearer key}; any other header (or a malformed Basic one) unchanged. */
    static String basicAsBearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return authorization;
        }
        try {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(BASIC.length()).trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon < 0 || colon == pair.length() - 1 ? authorization : "Bearer " + pair.substring(colon + 1);
        } catch (IllegalArgumentException notBase64) {
            return authorization;
        }
    }
}
