package io.realtimegateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The OpenAI Realtime relay. */
@ConfigMapping(prefix = "gateway.realtime")
public interface RealtimeConfig {

    /** {@code false} turns the relay off, so no OpenAI key is needed; from {@code GATEWAY_REALTIME_ENABLED}. */
    @WithDefault("true")
    boolean enabled();
}
