package io.realtimegateway.auth;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.config.Environment;
import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.problem.ProblemException;

/**
 * Admin access ({@code GATEWAY_ADMIN_API_KEYS}, bearer keys) to what lists the gateway's configuration, e.g. the token
 * diagnostics and the console. In prod only an admin key is an admin: a token caller's credential is a mere caller
 * (the endpoint's role check answers 403, {@link #adminRequired()}), none or a wrong one is 401, and without any admin
 * key configured the admin doors do not exist (404). Outside prod every token caller is an admin.
 * <p>
 * A key may also come as the password of HTTP Basic (any user name), so that a browser can prompt for it (the console);
 * such a credential is judged exactly as {@code Bearer <password>}.
 */
@ApplicationScoped
public class AdminAuthenticator {

    /** The challenge of the pages that ask a browser for the admin key (as the password of HTTP Basic). */
    public static final String BASIC_CHALLENGE = "Basic realm=\"realtime-gateway admin\", charset=\"UTF-8\"";

    private final CallerAuthenticator callers;
    private final List<byte[]> adminKeyDigests;
    private final boolean prod;

    AdminAuthenticator(AdminConfig config, CallerAuthenticator callers, Environment environment) {
        this.callers = callers;
        this.adminKeyDigests = AuthKeys.adminKeys(config).stream().map(Fingerprint::sha256).toList();
        this.prod = environment.isProd();
    }

    /**
     * Who presented a credential at an admin door.
     *
     * @param caller the admin ({@code admin:<key fingerprint>}) or the token caller
     * @param admin whether it may open the admin doors
     */
    public record Verdict(Caller caller, boolean admin) {
    }

    /**
     * @param presented the request's credential ({@code Bearer <key>}, or a key as the password of {@code Basic})
     * @return the admin, or the token caller (an admin outside prod)
     * @throws ProblemException 404 in prod without admin keys, 401 without a valid credential
     */
    public Verdict authenticate(Credentials presented) {
        if (prod && adminKeyDigests.isEmpty()) {
            throw new ProblemException(404, ProblemException.TYPE_BASE + "not-found", "Not Found", "No such resource.");
        }
        boolean keyShaped = presented.scheme() == Credentials.Scheme.BEARER || presented.scheme() == Credentials.Scheme.BASIC;
        Credentials bearer = keyShaped ? new Credentials(Credentials.Scheme.BEARER, presented.secret()) : presented;
        if (!adminKeyDigests.isEmpty() && keyShaped && CallerAuthenticator.matchesAny(adminKeyDigests, presented.secret())) {
            return new Verdict(new Caller("admin:" + Fingerprint.sha256Prefix(presented.secret())), true);
        }
        if (!prod) {
            return new Verdict(callers.authenticate(bearer), true);
        }
        CallerAuthenticator.bearer(bearer); // 401 when missing or not Bearer
        try {
            return new Verdict(callers.authenticate(bearer), false);
        } catch (ProblemException notACaller) {
            throw ProblemException.unauthorized("This endpoint requires an admin key (GATEWAY_ADMIN_API_KEYS) as 'Authorization: Bearer <key>'.",
                    "invalid_token");
        }
    }

    /** The refusal of a caller that is not an admin at an admin door (prod). */
    public static ProblemException adminRequired() {
        return new ProblemException(403, ProblemException.TYPE_BASE + "admin-required", "Admin credential required",
                "This endpoint requires an admin key (GATEWAY_ADMIN_API_KEYS); token caller credentials are not accepted.");
    }
}
