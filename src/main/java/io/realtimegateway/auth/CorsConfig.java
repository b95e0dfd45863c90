package io.realtimegateway.auth;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Which browser origins may call the gateway ({@code GATEWAY_CORS_*}). application.properties feeds
 * {@link #origins()} to Quarkus's own CORS filter ({@code quarkus.http.cors.origins}); the relay's Origin policy
 * and the {@code http.cors-origins} check read it here.
 */
@ConfigMapping(prefix = "gateway.cors")
public interface CorsConfig {

    /** Comma-separated exact origins ({@code https://app.example.com,http://localhost:3000}); from {@code GATEWAY_CORS_ORIGINS}. Unset: same-origin only. */
    Optional<String> origins();

    /** Lets prod run with {@code GATEWAY_CORS_ORIGINS=*} (any site, with a WARN); from {@code GATEWAY_CORS_ALLOW_ANY_ORIGIN}. */
    @WithDefault("false")
    boolean allowAnyOrigin();

    /** The relay accepts WebSocket upgrades from any {@code Origin} (the ticket alone protects it); from {@code GATEWAY_CORS_RELAY_ANY_ORIGIN}. */
    @WithDefault("false")
    boolean relayAnyOrigin();
}
