package io.realtimegateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of the gateway's HTTP API ({@code /api/*}). */
@ConfigMapping(prefix = "gateway.http")
public interface HttpConfig {

    /** Largest request body the token and ticket endpoints read, in bytes; larger ones get 413 problem+json. From {@code GATEWAY_HTTP_MAX_BODY_BYTES}. */
    @WithDefault("65536")
    int maxBodyBytes();
}
