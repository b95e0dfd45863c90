package io.realtimegateway.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import io.realtimegateway.config.ZeroAllowed;

/**
 * The management interface's port ({@code GATEWAY_MANAGEMENT_PORT}), read by {@code quarkus.management.port} in
 * application.properties; mapped here so that an empty or malformed value is judged like every other setting.
 */
@ConfigMapping(prefix = "gateway.management")
public interface ManagementPortConfig {

    /** Port of {@code /q/health/*}, {@code /q/metrics} and the API docs; from {@code GATEWAY_MANAGEMENT_PORT}. 0 picks a free port. */
    @WithDefault("9000")
    @ZeroAllowed
    int port();
}
