package io.realtimegateway.livekit;

import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.PreflightCheck;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.credentials.KeyProblem;
import io.realtimegateway.credentials.KeySource;
import io.realtimegateway.credentials.LiveKitCredentials;
import io.realtimegateway.credentials.LiveKitKey;
import io.realtimegateway.credentials.SecretLint;

/**
 * The offline LiveKit rules (keys present and readable, undamaged, secrets usable, sources agreeing, a ws(s) URL), one named result each. Every result is emitted
 * (OK included), so the report always lists the same names. Messages carry fingerprints, never secrets.
 */
@Singleton
class LiveKitChecks implements PreflightCheck {

    static final String PRESENT = "livekit.keys.present";
    static final String KEYS_FORMAT = "livekit.keys.format";
    static final String CONFIG_FILE = "livekit.config-file";
    static final String KEY_FILE_PERMISSIONS = "livekit.key-file.permissions";
    static final String API_KEY_FORMAT = "livekit.api-key.format";
    static final String SECRET_FORMAT = "livekit.secret.format";
    static final String SECRET_PUBLIC = "livekit.secret.public";
    static final String SECRET_LENGTH = "livekit.secret.length";
    static final String SECRET_DIGITS = "livekit.secret.digits";
    static final String AGREE = "livekit.keys.agree";
    static final String SIGNING_KEY = "livekit.signing-key";
    static final String URL = "livekit.url";

    private static final String COMPARE = "compare fingerprints with: printf %s \"$SECRET\" | sha256sum";

    private final LiveKitCredentials credentials;
    private final boolean allowWeakSecret;

    LiveKitChecks(LiveKitCredentials credentials) {
        this.credentials = credentials;
        this.allowWeakSecret = credentials.allowWeakSecret();
    }

    @Override
    public Feature feature() {
        return Feature.LIVEKIT;
    }

    @Override
    public List<CheckResult> run() {
        Findings findings = new Findings();
        present(findings);
        for (KeySource source : credentials.sources()) {
            for (KeyProblem problem : source.problems()) {
                findings.add(problem.check(), CheckStatus.FAIL, problem.message(), problem.fix());
            }
        }
        lint(findings);
        agreement(findings);
        signingKey(findings);
        url(findings);
        return findings.results(List.of(PRESENT, KEYS_FORMAT, CONFIG_FILE, KEY_FILE_PERMISSIONS, API_KEY_FORMAT, SECRET_FORMAT,
                SECRET_PUBLIC, SECRET_LENGTH, SECRET_DIGITS, AGREE, SIGNING_KEY, URL), this::okMessage);
    }

    private void present(Findings findings) {
        boolean key = credentials.rawApiKey().isPresent();
        boolean secret = credentials.hasRawApiSecret();
        if (key && !secret) {
            findings.add(PRESENT, CheckStatus.FAIL, "LIVEKIT_API_KEY is set but LIVEKIT_API_SECRET is not",
                    "set LIVEKIT_API_SECRET to the secret of that key (the one in livekit.yaml keys:)");
        } else if (secret && !key) {
            findings.add(PRESENT, CheckStatus.FAIL, "LIVEKIT_API_SECRET is set but LIVEKIT_API_KEY is not",
                    "set LIVEKIT_API_KEY to the key of that secret (the one in livekit.yaml keys:)");
        }
        if (credentials.keys().isEmpty()) {
            findings.add(PRESENT, CheckStatus.FAIL, "no usable LiveKit key is configured (livekit-server itself would stop with "
                    + "\"one of key-file or keys must be provided\")",
                    "set LIVEKIT_API_KEY and LIVEKIT_API_SECRET, or LIVEKIT_KEYS=\"key: secret\", or LIVEKIT_CONFIG_FILE=/path/to/livekit.yaml");
        }
    }

    private void lint(Findings findings) {
        for (KeySource source : credentials.sources()) {
            for (LiveKitKey key : source.keys()) {
                String name = SecretLint.printable(key.apiKey());
                SecretLint.formatProblem(key.apiKey()).ifPresent(p -> findings.add(API_KEY_FORMAT, CheckStatus.FAIL,
                        "API key " + name + " from " + key.source() + " " + p,
                        "remove the stray characters from the key in .env / the secret store (no quotes, spaces or line breaks)"));
                secret(findings, key, name);
                if (SecretLint.isAllDigits(key.secret())) {
                    findings.add(SECRET_DIGITS, CheckStatus.FAIL, "secret of key " + name + " from " + key.source()
                            + " is all digits (" + Fingerprint.of(key.secret()) + "); livekit-server reads it as a YAML number "
                            + "in LIVEKIT_KEYS and silently drops the key",
                            "generate a new secret with " + SecretLint.GENERATE);
                }
            }
        }
    }

    /**
     * A damaged secret FAILs. Otherwise a public one (SecretLint's rule) and one under the floor each FAIL, or WARN
     * loudly where weak secrets are allowed (dev, whose default pair is LiveKit's public devkey/secret). Both are named,
     * so the dev pair shows as public and as short.
     */
    private void secret(Findings findings, LiveKitKey key, String name) {
        String secret = key.secret();
        String subject = "secret of key " + name + " from " + key.source() + " ";
        String generate = "use a secret of " + SecretLint.minimumHint() + " in " + where(key) + ": " + SecretLint.generateHint();
        Optional<String> damage = SecretLint.formatProblem(secret);
        if (damage.isPresent()) {
            findings.add(SECRET_FORMAT, CheckStatus.FAIL, subject + damage.get() + " (" + Fingerprint.of(secret) + ")",
                    "set the secret without quotes, spaces or line breaks (in .env write KEY=value; save files with LF endings); " + COMPARE);
            return;
        }
        SecretLint.publicValue(secret).ifPresent(what -> weak(findings, SECRET_PUBLIC, subject + "is public: " + what + " ("
                + Fingerprint.of(secret) + "); anyone can sign tokens with it", generate));
        if (secret.length() < SecretLint.MIN_SECRET_LENGTH) {
            weak(findings, SECRET_LENGTH, subject + "has " + secret.length() + " characters, under LiveKit's floor of "
                    + SecretLint.MIN_SECRET_LENGTH + " (the minimum for every gateway secret) (" + Fingerprint.of(secret) + ")", generate);
        }
    }

    private void weak(Findings findings, String check, String message, String generate) {
        if (allowWeakSecret) {
            findings.add(check, CheckStatus.WARN, "WEAK SECRET ALLOWED (gateway.livekit.allow-weak-secret): " + message
                    + ". Anyone can forge tokens for it: never use it outside local development", generate + " (outside dev)");
        } else {
            findings.add(check, CheckStatus.FAIL, message, generate);
        }
    }

    /** Where the secret was read, so where the new one goes: the env variable (.env under docker compose) or the file. */
    private static String where(LiveKitKey key) {
        String source = key.source();
        if (source.startsWith("LIVEKIT_API_KEY/")) {
            return "LIVEKIT_API_SECRET (.env under docker compose)";
        }
        return source.startsWith("LIVEKIT_KEYS") ? "LIVEKIT_KEYS" : source.replaceFirst(" line \\d+$", "");
    }

    private void agreement(Findings findings) {
        List<KeySource> sources = credentials.sources();
        for (int i = 0; i < sources.size(); i++) {
            for (int j = i + 1; j < sources.size(); j++) {
                for (LiveKitKey a : sources.get(i).keys()) {
                    for (LiveKitKey b : sources.get(j).keys()) {
                        if (a.apiKey().equals(b.apiKey()) && !a.secret().equals(b.secret())) {
                            findings.add(AGREE, CheckStatus.FAIL, "key " + SecretLint.printable(a.apiKey()) + " has different secrets in "
                                    + a.source() + " (" + Fingerprint.of(a.secret()) + ") and " + b.source() + " ("
                                    + Fingerprint.of(b.secret()) + "); livekit-server would reject the tokens "
                                    + "(\"token signature is invalid\")",
                                    "use the same secret in both places (or set only one source); " + COMPARE);
                        }
                    }
                }
            }
        }
        Optional<LiveKitKey> signing = credentials.signingKey();
        for (KeySource server : sources) {
            if (!server.isServerConfig() || !server.problems().isEmpty() || signing.isEmpty()) {
                continue;
            }
            boolean known = server.keys().stream().anyMatch(k -> k.apiKey().equals(signing.get().apiKey()));
            if (!known) {
                List<String> names = server.keys().stream().map(k -> SecretLint.printable(k.apiKey())).toList();
                findings.add(AGREE, CheckStatus.FAIL, "signing key " + SecretLint.printable(signing.get().apiKey()) + " (from "
                        + signing.get().source() + ") is not in " + server.name() + ", which has " + (names.isEmpty() ? "no keys" : names)
                        + "; livekit-server would answer \"invalid API key\"",
                        "use one of the keys of livekit.yaml (or add this key to its keys:), or unset LIVEKIT_API_KEY/LIVEKIT_KEYS "
                                + "to sign with livekit.yaml's own keys");
            }
        }
    }

    private void signingKey(Findings findings) {
        Optional<String> wanted = credentials.requestedSigningKey();
        if (wanted.isPresent() && credentials.signingKey().isEmpty()) {
            findings.add(SIGNING_KEY, CheckStatus.FAIL, "gateway.livekit.signing-key names " + SecretLint.printable(wanted.get())
                    + ", which no source configures", "set GATEWAY_LIVEKIT_SIGNING_KEY to one of the configured keys, or unset it");
        }
    }

    private void url(Findings findings) {
        Optional<String> url = credentials.serverUrl();
        String fixScheme = "use ws:// or wss://; the gateway derives http(s) for the server API";
        if (url.isEmpty()) {
            findings.add(URL, CheckStatus.FAIL, "LIVEKIT_URL is not set: the token response has no server_url",
                    "set LIVEKIT_URL to the URL frontends connect to, e.g. wss://livekit.example.com (ws://localhost:7880 for livekit-server --dev)");
            return;
        }
        String shown = SecretLint.printable(url.get());
        Optional<String> lint = SecretLint.formatProblem(url.get());
        if (lint.isPresent()) {
            findings.add(URL, CheckStatus.FAIL, "LIVEKIT_URL " + lint.get(), "set LIVEKIT_URL without quotes, spaces or line breaks");
            return;
        }
        URI uri;
        try {
            uri = new URI(url.get());
        } catch (URISyntaxException e) {
            findings.add(URL, CheckStatus.FAIL, "LIVEKIT_URL " + shown + " is not a URL", "set LIVEKIT_URL like wss://livekit.example.com");
            return;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http") || scheme.equals("https")) {
            findings.add(URL, CheckStatus.FAIL, "LIVEKIT_URL " + shown + " uses " + scheme + "://, but frontends connect with WebSocket",
                    fixScheme + " (here: " + (scheme.equals("https") ? "wss" : "ws") + "://" + uri.getRawSchemeSpecificPart().replaceFirst("^//", "") + ")");
        } else if (!scheme.equals("ws") && !scheme.equals("wss")) {
            findings.add(URL, CheckStatus.FAIL, "LIVEKIT_URL " + shown + " has " + (scheme.isEmpty() ? "no scheme" : "the scheme " + scheme + "://"),
                    fixScheme + ", e.g. wss://livekit.example.com");
        } else if (uri.getHost() == null) {
            findings.add(URL, CheckStatus.FAIL, "LIVEKIT_URL " + shown + " has no host", "set LIVEKIT_URL like wss://livekit.example.com");
        }
    }

    private String okMessage(String name) {
        return switch (name) {
            case PRESENT -> credentials.keys().size() + " key(s): " + credentials.keys().stream()
                    .map(k -> SecretLint.printable(k.apiKey()) + " from " + k.source() + " (" + Fingerprint.of(k.secret()) + ")").toList();
            case URL -> SecretLint.printable(credentials.serverUrl().orElse("")) + " (server API "
                    + SecretLint.printable(credentials.apiUrl().orElse("")) + ")";
            case AGREE -> credentials.sources().size() > 1 ? "the " + credentials.sources().size() + " key sources agree"
                    : credentials.sources().isEmpty() ? "no key source" : "one key source: " + credentials.sources().get(0).name();
            case SIGNING_KEY -> credentials.signingKey().map(k -> "tokens are signed with " + SecretLint.printable(k.apiKey()))
                    .orElse("no signing key");
            case CONFIG_FILE -> credentials.configFile().map(f -> "read " + f).orElse("LIVEKIT_CONFIG_FILE not set");
            default -> "ok";
        };
    }

    /** Collects findings per check name; names without a finding become OK. */
    static final class Findings {
        private final Map<String, List<CheckResult>> byName = new LinkedHashMap<>();

        void add(String name, CheckStatus status, String message, String fix) {
            byName.computeIfAbsent(name, n -> new ArrayList<>()).add(new CheckResult(name, status, message, fix));
        }

        /** One result per name: the worst status, messages joined; {@code names} first, in order. */
        List<CheckResult> results(List<String> names, java.util.function.Function<String, String> okMessage) {
            List<String> order = new ArrayList<>(names);
            byName.keySet().stream().filter(n -> !order.contains(n)).forEach(order::add);
            List<CheckResult> results = new ArrayList<>();
            for (String name : order) {
                List<CheckResult> found = byName.get(name);
                if (found == null) {
                    results.add(CheckResult.ok(name, okMessage.apply(name)));
                    continue;
                }
                CheckStatus worst = found.stream().map(CheckResult::status).reduce(CheckStatus.OK, CheckStatus::worst);
                String message = String.join("; ", found.stream().map(CheckResult::message).toList());
                String fix = String.join("; ", found.stream().map(CheckResult::fix).distinct().toList());
                results.add(new CheckResult(name, worst, message, fix));
            }
            return results;
        }
    }
}
