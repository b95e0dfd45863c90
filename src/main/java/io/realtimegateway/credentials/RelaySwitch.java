package io.realtimegateway.credentials;

import java.util.Optional;

/**
 * The one decision whether the Realtime relay (and every door that opens an OpenAI session) is on: enabled
 * ({@code GATEWAY_REALTIME_ENABLED}) and an OpenAI key present. {@link OpenAiCredentials#relaySwitch()} holds the
 * running gateway's; checks that read the raw settings build theirs with {@link #of}, so both say the same.
 *
 * @param enabled {@code gateway.realtime.enabled}
 * @param keyPresent a non-blank OpenAI key is configured
 */
public record RelaySwitch(boolean enabled, boolean keyPresent) {

    public static RelaySwitch of(boolean enabled, Optional<String> apiKey) {
        return new RelaySwitch(enabled, apiKey.filter(k -> !k.isBlank()).isPresent());
    }

    public boolean on() {
        return enabled && keyPresent;
    }

    /** Why {@link #on()} is false, for refusals and reports; never the key. */
    public String offReason() {
        return enabled
                ? "the Realtime relay has no OpenAI key configured (set OPENAI_API_KEY)"
                : "the Realtime relay is disabled (GATEWAY_REALTIME_ENABLED=false)";
    }
}
