package io.realtimegateway.realtime;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.credentials.OpenAiCredentials;

/**
 * Where the relay connects and with which credentials: the same raw values the preflight linted
 * ({@link OpenAiCredentials}), so the relay never uses a key the checks did not see.
 */
@ApplicationScoped
class RelayUpstream {

    private final OpenAiCredentials openai;

    RelayUpstream(OpenAiCredentials openai) {
        this.openai = openai;
    }

    /** The relay serves only when it is enabled and has a server key to hold. */
    boolean relayEnabled() {
        return openai.relayEnabled() && apiKey().isPresent();
    }

    /** Why {@link #relayEnabled()} is false, for refusals; never the key. */
    String disabledReason() {
        return openai.realtimeEnabled()
                ? "the Realtime relay has no OpenAI key configured (set OPENAI_API_KEY)"
                : "the Realtime relay is disabled (GATEWAY_REALTIME_ENABLED=false)";
    }

    Optional<String> apiKey() {
        return openai.apiKey().filter(k -> !k.isBlank());
    }

    /** The REST base URL ({@code OPENAI_BASE_URL}) the boot check probes. */
    String restBaseUrl() {
        return openai.baseUrl();
    }

    /** The path appended to {@link #baseUri}: the connector keeps the base URI's query but not a path-less target. */
    static final String PATH = "/realtime";

    /** The full upstream URL, for logs and docs: {@link #baseUri} with {@link #PATH}. */
    String url(SessionPlan plan) {
        URI base = baseUri(plan);
        return base.getScheme() + "://" + base.getRawAuthority() + base.getRawPath() + PATH + "?" + base.getRawQuery();
    }

    /**
     * {@code OPENAI_BASE_URL} (https→wss, http→ws) with {@code ?model=…} (or {@code intent=transcription}); the
     * connector appends {@link #PATH}.
     */
    URI baseUri(SessionPlan plan) {
        String base = openai.baseUrl();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        if (base.startsWith("https://")) {
            base = "wss://" + base.substring("https://".length());
        } else if (base.startsWith("http://")) {
            base = "ws://" + base.substring("http://".length());
        }
        String query = plan.transcription()
                ? "intent=transcription"
                : "model=" + URLEncoder.encode(plan.model(), StandardCharsets.UTF_8);
        return URI.create(base + "?" + query);
    }

    /** Authorization plus the optional organization and project; never an OpenAI-Beta header. */
    Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + apiKey().orElse(""));
        openai.organization().filter(v -> !v.isBlank()).ifPresent(v -> headers.put("OpenAI-Organization", v));
        openai.project().filter(v -> !v.isBlank()).ifPresent(v -> headers.put("OpenAI-Project", v));
        return headers;
    }
}
