package io.realtimegateway.openai;

import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.PreflightCheck;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.credentials.SecretLint;

/** The offline OpenAI rules: a key the relay can use, and a usable base URL. */
@Singleton
class OpenAiChecks implements PreflightCheck {

    static final String API_KEY = "openai.api-key";
    static final String API_KEY_FORMAT = "openai.api-key.format";
    static final String BASE_URL = "openai.base-url";

    private final OpenAiCredentials credentials;
    private final boolean allowMissingKey;

    OpenAiChecks(OpenAiCredentials credentials) {
        this.credentials = credentials;
        this.allowMissingKey = credentials.allowMissingKey();
    }

    @Override
    public Feature feature() {
        return Feature.OPENAI;
    }

    @Override
    public List<CheckResult> run() {
        return List.of(apiKey(), apiKeyFormat(), baseUrl());
    }

    private CheckResult apiKey() {
        if (!credentials.realtimeEnabled()) {
            return CheckResult.ok(API_KEY, "the Realtime relay is disabled (GATEWAY_REALTIME_ENABLED=false); no OpenAI key needed");
        }
        if (credentials.apiKey().isPresent()) {
            return CheckResult.ok(API_KEY, "the Realtime relay is ON with OPENAI_API_KEY " + Fingerprint.of(credentials.apiKey().get()));
        }
        if (allowMissingKey) {
            return CheckResult.warn(API_KEY, "OPENAI_API_KEY is not set: the Realtime relay is OFF "
                    + "(/v1/realtime and /api/realtime/client-secret are unavailable)",
                    "set OPENAI_API_KEY to turn the relay on, or GATEWAY_REALTIME_ENABLED=false to silence this");
        }
        return CheckResult.fail(API_KEY, "OPENAI_API_KEY is not set, but the Realtime relay is enabled",
                "set OPENAI_API_KEY or GATEWAY_REALTIME_ENABLED=false");
    }

    private CheckResult apiKeyFormat() {
        Optional<String> key = credentials.apiKey();
        if (key.isEmpty()) {
            return CheckResult.ok(API_KEY_FORMAT, "no key to check");
        }
        String fingerprint = Fingerprint.of(key.get());
        Optional<String> lint = SecretLint.formatProblem(key.get());
        if (lint.isPresent()) {
            return CheckResult.fail(API_KEY_FORMAT, "OPENAI_API_KEY " + lint.get() + " (" + fingerprint + ")",
                    "set OPENAI_API_KEY without quotes, spaces or line breaks; compare with: printf %s \"$OPENAI_API_KEY\" | sha256sum");
        }
        Optional<String> published = SecretLint.publicValue(key.get());
        if (published.isPresent()) {
            return CheckResult.fail(API_KEY_FORMAT, "OPENAI_API_KEY is public: " + published.get() + " (" + fingerprint + ")",
                    "create a project API key (sk-proj-...) at platform.openai.com/api-keys and set OPENAI_API_KEY to it");
        }
        if (key.get().startsWith("sk-admin-")) {
            return CheckResult.fail(API_KEY_FORMAT, "OPENAI_API_KEY is an admin key (sk-admin-, " + fingerprint
                    + "): admin keys manage the organization and cannot call the Realtime API",
                    "create a project API key (sk-proj-...) at platform.openai.com/api-keys and set OPENAI_API_KEY to it");
        }
        if (!key.get().startsWith("sk-")) {
            String kind = key.get().startsWith("ek_") ? "an ephemeral client secret (ek_), which expires within minutes"
                    : "not an OpenAI API key (they start with sk-)";
            return CheckResult.fail(API_KEY_FORMAT, "OPENAI_API_KEY is " + kind + " (" + fingerprint + ")",
                    "set OPENAI_API_KEY to a project API key (sk-proj-...) from platform.openai.com/api-keys");
        }
        return CheckResult.ok(API_KEY_FORMAT, "an sk- API key (" + fingerprint + ")");
    }

    private CheckResult baseUrl() {
        String url = credentials.baseUrl();
        String fix = "set OPENAI_BASE_URL to an http(s) URL ending in /v1, e.g. https://api.openai.com/v1 (the relay derives wss:// from it)";
        Optional<String> lint = SecretLint.formatProblem(url);
        if (lint.isPresent()) {
            return CheckResult.fail(BASE_URL, "OPENAI_BASE_URL " + lint.get(), fix);
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return CheckResult.ok(BASE_URL, SecretLint.printable(url));
            }
            return CheckResult.fail(BASE_URL, "OPENAI_BASE_URL " + SecretLint.printable(url) + " is not an http(s) URL with a host", fix);
        } catch (URISyntaxException e) {
            return CheckResult.fail(BASE_URL, "OPENAI_BASE_URL " + SecretLint.printable(url) + " is not a URL", fix);
        }
    }
}
