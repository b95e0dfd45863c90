package io.realtimegateway.auth;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

import io.realtimegateway.config.Verbatim;

/** Admin access to the diagnostics endpoint ({@code GATEWAY_ADMIN_*}). */
@ConfigMapping(prefix = "gateway.admin")
public interface AdminConfig {

    /** Comma-separated bearer keys of operators (at least 32 characters each); from {@code GATEWAY_ADMIN_API_KEYS}. Without one, prod hides the diagnostics endpoint. */
    @Verbatim
    Optional<String> apiKeys();
}
