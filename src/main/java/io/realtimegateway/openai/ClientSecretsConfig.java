package io.realtimegateway.openai;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** OpenAI client secrets minted through {@code POST /v1/realtime/client_secrets}, under the relay's policy. */
@ConfigMapping(prefix = "gateway.realtime.client-secrets")
public interface ClientSecretsConfig {

    /**
     * {@code false} refuses the endpoint (503): an OpenAI client secret lets its holder change the session's
     * options, so an operator who needs the policy to hold keeps only the SDP exchange; from
     * {@code GATEWAY_REALTIME_CLIENT_SECRETS_ENABLED}.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * Longest expiry a minted secret gets (OpenAI's {@code expires_after.seconds}, 10 s to 2 h there); longer
     * requests are cut to it, and requests without one get it; from {@code GATEWAY_REALTIME_CLIENT_SECRETS_MAX_EXPIRY}.
     */
    @WithDefault("10m")
    Duration maxExpiry();
}
