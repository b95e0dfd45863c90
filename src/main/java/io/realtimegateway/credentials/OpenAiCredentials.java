package io.realtimegateway.credentials;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.realtimegateway.realtime.RealtimeConfig;

/**
 * The OpenAI upstream as the operator set it (read raw, see {@link RawSetting}): the key, the URLs and headers every
 * OpenAI call uses, and the one decision whether the relay runs ({@link #relayEnabled()}: enabled and a key is present).
 * The relay, the ticket endpoint and the OpenAI checks all ask this class, so they never disagree.
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

    /** The relay runs: enabled and a key is present. Every relay refusal and check asks this. */
    public boolean relayEnabled() {
        return relaySwitch().on();
    }

    /** Why {@link #relayEnabled()} is false, for refusals and reports; never the key. */
    public String disabledReason() {
        return relaySwitch().offReason();
    }

    /** The decision itself, as a value. */
    public RelaySwitch relaySwitch() {
        return RelaySwitch.of(realtimeEnabled, apiKey);
    }

    /** {@code gateway.openai.allow-missing-key}: on in the dev profile. */
    public boolean allowMissingKey() {
        return allowMissingKey;
    }

    /** {@link #baseUrl()} without trailing slashes, so paths can be appended. */
    public String restBase() {
        return Urls.stripTrailingSlashes(baseUrl);
    }

    /**
     * The Realtime WebSocket URL: {@code OPENAI_BASE_URL} (https→wss, http→ws) plus {@code /realtime?model=…}, or
     * {@code ?intent=transcription} when {@code model} is null.
     */
    public URI realtimeUri(String model) {
        String base = restBase();
        if (base.startsWith("https://")) {
            base = "wss://" + base.substring("https://".length());
        } else if (base.startsWith("http://")) {
            base = "ws://" + base.substring("http://".length());
        }
        String query = model == null ? "intent=transcription" : "model=" + URLEncoder.encode(model, StandardCharsets.UTF_8);
        return URI.create(base + REALTIME_PATH + "?" + query);
    }

    /** The GPT-Live WebSocket URL: {@code OPENAI_BASE_URL} (https→wss, http→ws) plus {@code /live/sessions}, no query (the model goes in {@code session.start}). */
    public URI liveUri() {
        String base = restBase();
        if (base.startsWith("https://")) {
            base = "wss://" + base.substring("https://".length());
        } else if (base.startsWith("http://")) {
            base = "ws://" + base.substring("http://".length());
        }
        return URI.create(base + "/live/sessions");
    }

    /** The path the Realtime WebSocket adds to the REST base. */
    private static final String REALTIME_PATH = "/realtime";

    /** Authorization plus the optional organization and project; never an OpenAI-Beta header. Carries the key: never log it. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + apiKey.orElse(""));
        organization.filter(v -> !v.isBlank()).ifPresent(v -> headers.put("OpenAI-Organization", v));
        project.filter(v -> !v.isBlank()).ifPresent(v -> headers.put("OpenAI-Project", v));
        return headers;
    }
}
