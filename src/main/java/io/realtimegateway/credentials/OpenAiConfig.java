package io.realtimegateway.credentials;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The OpenAI upstream of the Realtime relay. Env names follow OpenAI's SDK conventions. */
@ConfigMapping(prefix = "gateway.openai")
public interface OpenAiConfig {

    /** Server-side API key; from {@code OPENAI_API_KEY}. Never sent to clients. */
    Optional<String> apiKey();

    /** REST base URL; from {@code OPENAI_BASE_URL}. The relay derives its wss:// URL from it. */
    @WithDefault("https://api.openai.com/v1")
    String baseUrl();

    /** Optional {@code OpenAI-Organization} header; from {@code OPENAI_ORGANIZATION}. */
    Optional<String> organization();

    /** Optional {@code OpenAI-Project} header; from {@code OPENAI_PROJECT}. */
    Optional<String> project();

    /** Without {@code OPENAI_API_KEY}, turn the relay off with a warning instead of refusing to boot; on in the dev profile. */
    @WithDefault("false")
    boolean allowMissingKey();
}
