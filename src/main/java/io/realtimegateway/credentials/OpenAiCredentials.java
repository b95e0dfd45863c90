package io.realtimegateway.credentials;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.realtimegateway.config.OpenAiConfig;
import io.realtimegateway.config.RealtimeConfig;

/**
 * The OpenAI upstream credentials as the operator set them (read raw, see {@link RawSetting}), and whether the
 * relay runs: only when {@code gateway.realtime.enabled} and a key is present.
 */
@ApplicationScoped
public class OpenAiCredentials {

    private final Optional<String> apiKey;
    private final String baseUrl;
    private final Optional<String> organization;
    private final Optional<String> project;
    private final boolean realtimeEnabled;
    private final boolean allowMissingKey;

    @Inject
    OpenAiCredentials(OpenAiConfig config, RealtimeConfig realtime) {
        this(RawSetting.read("gateway.openai.api-key", "OPENAI_API_KEY", config.apiKey()),
                RawSetting.read("gateway.openai.base-url", "OPENAI_BASE_URL", Optional.of(config.baseUrl())).orElse(config.baseUrl()),
                RawSetting.read("gateway.openai.organization", "OPENAI_ORGANIZATION", config.organization()),
                RawSetting.read("gateway.openai.project", "OPENAI_PROJECT", config.project()),
                realtime.enabled(), config.allowMissingKey());
    }

    /** Every value given explicitly (tests, tools). */
    public OpenAiCredentials(Optional<String> apiKey, String baseUrl, Optional<String> organization, Optional<String> project,
            boolean realtimeEnabled, boolean allowMissingKey) {
        this.apiKey = apiKey.filter(k -> !k.isEmpty());
        this.baseUrl = baseUrl;
        this.organization = organization;
        this.project = project;
        this.realtimeEnabled = realtimeEnabled;
        this.allowMissingKey = allowMissingKey;
    }

    /** The server-side key ({@code OPENAI_API_KEY}); never sent to clients, never logged. */
    public Optional<String> apiKey() {
        return apiKey;
    }

    /** REST base URL ({@code OPENAI_BASE_URL}), e.g. {@code https://api.openai.com/v1}. */
    public String baseUrl() {
        return baseUrl;
    }

    public Optional<String> organization() {
        return organization;
    }

    public Optional<String> project() {
        return project;
    }

    /** {@code GATEWAY_REALTIME_ENABLED}: the operator wants the relay. */
    public boolean realtimeEnabled() {
        return realtimeEnabled;
    }

    /** The relay runs: enabled and a key is present. */
    public boolean relayEnabled() {
        return realtimeEnabled && apiKey.isPresent();
    }

    /** A missing key only warns (dev) instead of failing (prod). */
    public boolean allowMissingKey() {
        return allowMissingKey;
    }
}
