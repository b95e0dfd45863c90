package io.realtimegateway.auth;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.vertx.http.runtime.cors.CORSFilter;
import io.realtimegateway.credentials.SecretLint;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.Problems;
import io.vertx.core.http.HttpServerRequest;

/**
 * Which browser pages may open relay sessions. Browsers do not apply CORS to WebSockets, so the relay checks the
 * upgrade's {@code Origin} itself, against the same list Quarkus's CORS filter uses for HTTP
 * ({@code quarkus.http.cors.origins}, i.e. {@code GATEWAY_CORS_ORIGINS}, or the dev default), matched the way that
 * filter matches (exact entries, {@code /regex/} entries, a lone {@code *}). Unaffected: upgrades without
 * {@code Origin} (server SDKs), a gateway with no origins configured, and {@code GATEWAY_CORS_RELAY_ANY_ORIGIN=true}.
 * <p>
 * The WebRTC SDP exchange ({@code POST /v1/realtime/calls}) is a browser's CORS request, so the CORS filter's own
 * rule applies to it ({@link #callRefusal}): the same list, and neither of the relay's two openings (browsers would
 * refuse the answer of an origin the filter does not allow anyway). It is checked here so that the refusal is
 * problem+json like the relay's, instead of the filter's bare 403.
 */
@ApplicationScoped
public class OriginPolicy {

    /**
     * The route order the relay's upgrade route (and the calls' origin check) needs: just ahead of Quarkus's CORS
     * filter (a filter of priority 300, i.e. route order -300), which would otherwise answer a bare 403 to a
     * cross-origin request before this policy could answer problem+json.
     */
    public static final int RELAY_ROUTE_ORDER = -301;

    private static final Logger LOG = Logger.getLogger(OriginPolicy.class);

    private final boolean open;
    private final boolean wildcard;
    private final List<String> exact;
    private final List<Pattern> patterns;

    OriginPolicy(CorsConfig config, @ConfigProperty(name = "quarkus.http.cors.origins") Optional<List<String>> origins) {
        List<String> list = origins.orElse(List.of());
        boolean wildcard = list.size() == 1 && (list.get(0).equals("*") || list.get(0).equals("/.*/"));
        this.open = config.relayAnyOrigin() || list.isEmpty() || wildcard;
        this.wildcard = wildcard;
        this.exact = List.copyOf(list);
        this.patterns = CORSFilter.parseAllowedOriginsRegex(origins);
    }

    /** The {@code reason} of an origin refusal's body and log line. */
    public static final String REFUSAL_REASON = "origin_not_allowed";

    /**
     * The 403 {@code origin-not-allowed} problem when an upgrade carries an {@code Origin} the relay does not allow,
     * else empty: the relay's rule, with its two openings (no origins configured, {@code GATEWAY_CORS_RELAY_ANY_ORIGIN}).
     *
     * @param what what the refusal names, e.g. "relay sessions"
     */
    public Optional<ProblemException> refusal(HttpServerRequest request, String what) {
        return refusal(request, open, "Pages on %s may not open " + what + " here");
    }

    /**
     * The same 403 for a request to {@code POST /v1/realtime/calls} (or its CORS preflight) from a page whose
     * {@code Origin} Quarkus's CORS filter does not allow: not listed, not {@code *}, not the gateway's own origin.
     * Requests without {@code Origin} (servers, tests) pass. Asked before anything else, so the ticket stays usable.
     */
    public Optional<ProblemException> callRefusal(HttpServerRequest request) {
        return refusal(request, wildcard, "Pages on %s may not set up WebRTC calls here");
    }

    /** The one rule: no Origin (not a browser), an open door, a listed origin or the gateway's own pass. */
    private Optional<ProblemException> refusal(HttpServerRequest request, boolean openDoor, String sentence) {
        String origin = request.getHeader("Origin");
        if (openDoor || origin == null || allowed(origin) || sameOrigin(request, origin)) {
            return Optional.empty();
        }
        String shown = shown(origin);
        LOG.debugf("Refused: origin %s is not allowed", shown);
        return Optional.of(new ProblemException(403, Problems.type("origin-not-allowed"), "Origin not allowed",
                String.format(sentence, shown) + ": the origin is not in GATEWAY_CORS_ORIGINS.")
                .withHeader(Problems.REFUSAL_HEADER, "origin not allowed").withReason(REFUSAL_REASON));
    }

    /** An origin as refusals and logs show it: printable, at most 200 characters. */
    public static String shown(String origin) {
        return SecretLint.printable(origin.length() > 200 ? origin.substring(0, 200) + "…" : origin);
    }

    boolean allowed(String origin) {
        return exact.contains(origin) || CORSFilter.isOriginAllowedByRegex(patterns, origin);
    }

    /** A page served by the gateway's own host (e.g. one reverse proxy in front of both) is not cross-origin. */
    public static boolean sameOrigin(HttpServerRequest request, String origin) {
        String host = request.getHeader("Host");
        return host != null && origin.equalsIgnoreCase(request.scheme() + "://" + host);
    }
}
