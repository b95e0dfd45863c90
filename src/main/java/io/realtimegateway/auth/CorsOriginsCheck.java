package io.realtimegateway.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.realtimegateway.config.Environment;
import io.realtimegateway.credentials.SecretLint;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.PreflightCheck;

/**
 * http.cors-origins: every {@code GATEWAY_CORS_ORIGINS} entry is a bare origin, exactly as a browser sends it in
 * {@code Origin} (Quarkus's CORS filter compares strings, so {@code https://app.example.com/} silently never
 * matches: the browser then reports "No 'Access-Control-Allow-Origin' header"). {@code *} is refused in prod unless
 * {@code GATEWAY_CORS_ALLOW_ANY_ORIGIN=true}; origins in api-key mode WARN, because a page's API key is public.
 */
@ApplicationScoped
class CorsOriginsCheck implements PreflightCheck {

    static final String NAME = "http.cors-origins";

    /** scheme :// host [: port] rest; the host is a DNS name, an IPv4 address or a bracketed IPv6 address. */
    private static final Pattern ORIGIN = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://(\\[[0-9A-Fa-f:.]+\\]|[^/:?#\\[\\]@]*)(?::([0-9]*))?(.*)",
            Pattern.DOTALL);
    private static final Pattern HOST = Pattern.compile("\\[[0-9a-f:.]+\\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private final CorsConfig cors;
    private final AuthConfig auth;
    private final Environment environment;
    private final List<String> profileDefault;

    /** @param effective what Quarkus's CORS filter allows: GATEWAY_CORS_ORIGINS, or the profile's default (dev: localhost) */
    CorsOriginsCheck(CorsConfig cors, AuthConfig auth, Environment environment, @ConfigProperty(name = "quarkus.http.cors.origins") Optional<List<String>> effective) {
        this.cors = cors;
        this.auth = auth;
        this.environment = environment;
        this.profileDefault = effective.orElse(List.of());
    }

    @Override
    public Feature feature() {
        return Feature.HTTP;
    }

    @Override
    public List<CheckResult> run() {
        return List.of(evaluate(cors.origins(), cors.allowAnyOrigin(), cors.relayAnyOrigin(), browserMode(AuthModes.of(auth)),
                environment.isProd(), profileDefault));
    }

    /** How browser pages would authenticate: with JWTs when they are accepted (also in api-key,jwt), else the one mode. */
    static AuthConfig.Mode browserMode(AuthModes modes) {
        if (modes.accepts(AuthConfig.Mode.JWT)) {
            return AuthConfig.Mode.JWT;
        }
        return modes.accepts(AuthConfig.Mode.API_KEY) ? AuthConfig.Mode.API_KEY : AuthConfig.Mode.NONE;
    }

    static CheckResult evaluate(Optional<String> raw, boolean allowAnyOrigin, boolean relayAnyOrigin, AuthConfig.Mode mode, boolean prod,
            List<String> profileDefault) {
        String relay = relayAnyOrigin ? "; the relay accepts upgrades from any Origin (GATEWAY_CORS_RELAY_ANY_ORIGIN=true)" : "";
        if (raw.isEmpty() || raw.get().isEmpty()) {
            return CheckResult.ok(NAME, (profileDefault.isEmpty() ? "GATEWAY_CORS_ORIGINS unset: browsers may call from the gateway's own origin only"
                    : "GATEWAY_CORS_ORIGINS unset: this profile's default allows " + String.join(", ", profileDefault)) + relay);
        }
        List<String> entries = List.of(raw.get().split(",", -1));
        if (entries.contains("*")) {
            if (entries.size() > 1) {
                return CheckResult.fail(NAME, "GATEWAY_CORS_ORIGINS mixes * with other entries; Quarkus's CORS filter treats * as any origin only when it stands alone",
                        "Set either GATEWAY_CORS_ORIGINS=* (with GATEWAY_CORS_ALLOW_ANY_ORIGIN=true) or a list of exact origins.");
            }
            if (prod && !allowAnyOrigin) {
                return CheckResult.fail(NAME, "GATEWAY_CORS_ORIGINS=* would let every website call the gateway with its visitors' credentials",
                        "List your frontends' exact origins, e.g. GATEWAY_CORS_ORIGINS=https://app.example.com, or set GATEWAY_CORS_ALLOW_ANY_ORIGIN=true deliberately.");
            }
            return CheckResult.warn(NAME, "GATEWAY_CORS_ORIGINS=*: pages on any website may call the token and ticket endpoints" + relay,
                    "List your frontends' exact origins instead, e.g. GATEWAY_CORS_ORIGINS=https://app.example.com.");
        }
        List<String> faults = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            Optional<Fault> fault = fault(entry);
            if (fault.isPresent()) {
                faults.add("entry #" + (i + 1) + " '" + SecretLint.printable(entry) + "' " + fault.get().problem());
                fixes.add(fault.get().fix());
            }
        }
        if (!faults.isEmpty()) {
            return CheckResult.fail(NAME, "GATEWAY_CORS_ORIGINS: " + String.join("; ", faults),
                    String.join("; ", fixes) + ". Each entry is scheme://host[:port] exactly as the browser's Origin header, comma-separated without spaces.");
        }
        String allowed = entries.size() + " origin(s) may call from browsers: " + String.join(", ", entries) + relay;
        if (mode == AuthConfig.Mode.API_KEY) {
            return CheckResult.warn(NAME, allowed + "; but GATEWAY_AUTH_MODE=api-key, so those pages would carry a gateway API key that every visitor can read",
                    "Let browsers authenticate as users: GATEWAY_AUTH_MODE=jwt with your identity provider's tokens. api-key mode is for server-to-server calls.");
        }
        return CheckResult.ok(NAME, allowed);
    }

    /** What is wrong with one entry and how to write it, or empty for a bare origin. */
    static Optional<Fault> fault(String entry) {
        if (entry.isEmpty()) {
            return Optional.of(new Fault("is empty (a doubled or trailing comma)", "remove the empty entry"));
        }
        Optional<String> damage = SecretLint.formatProblem(entry);
        if (damage.isPresent()) {
            return Optional.of(new Fault(damage.get(), "write '" + SecretLint.printable(entry.strip()) + "' without spaces, quotes or invisible characters"));
        }
        if (entry.chars().anyMatch(Character::isWhitespace)) {
            return Optional.of(new Fault("contains whitespace", "remove the whitespace"));
        }
        if (entry.length() > 1 && entry.startsWith("/") && entry.endsWith("/")) {
            return Optional.of(new Fault("is a regular expression; GATEWAY_CORS_ORIGINS takes exact origins", "list each origin, e.g. https://app.example.com"));
        }
        if (entry.contains("@")) {
            return Optional.of(new Fault("contains user info (user@); an origin has none", "write it as scheme://host[:port]"));
        }
        Matcher m = ORIGIN.matcher(entry);
        if (!m.matches()) {
            return Optional.of(new Fault("is not an origin (scheme://host[:port])", "write it as e.g. https://app.example.com"));
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        String host = m.group(2).toLowerCase(Locale.ROOT);
        String port = m.group(3);
        String rest = m.group(4);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of(new Fault("uses " + m.group(1) + "://; page origins are http:// or https://", "use https://" + host));
        }
        if (host.isEmpty() || !HOST.matcher(host).matches()) {
            return Optional.of(new Fault("has no valid host", "write it as e.g. https://app.example.com"));
        }
        String portPart = "";
        if (port != null) {
            int number = port.isEmpty() || port.length() > 5 ? -1 : Integer.parseInt(port);
            if (number < 1 || number > 65535) {
                return Optional.of(new Fault("has an invalid port", "use a port from 1 to 65535, or none"));
            }
            boolean defaultPort = (scheme.equals("http") && number == 80) || (scheme.equals("https") && number == 443);
            portPart = defaultPort ? "" : ":" + number;
        }
        String bare = scheme + "://" + host + portPart;
        if (!rest.isEmpty()) {
            String what = rest.equals("/") ? "has a trailing slash" : rest.startsWith("/") ? "has a path" : "has a query or fragment";
            return Optional.of(new Fault(what + "; browsers send the origin without it, so it never matches", "write " + entry + " as " + bare));
        }
        if (!bare.equals(entry)) {
            String what = port != null && portPart.isEmpty() ? "names the scheme's default port, which browsers leave out of Origin"
                    : "has upper-case letters, which browsers never send in Origin";
            return Optional.of(new Fault(what, "write " + entry + " as " + bare));
        }
        return Optional.empty();
    }

    /** One entry's problem and its remedy. */
    record Fault(String problem, String fix) {
    }
}
