package io.realtimegateway.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * {@code GATEWAY_API_DOCS}, read by {@code quarkus.smallrye-openapi.enabled} and {@code quarkus.swagger-ui.enabled} in
 * application.properties; mapped here so that a malformed value is a named FAIL instead of a silent false.
 */
@ConfigMapping(prefix = "gateway.api-docs")
public interface ApiDocsConfig {

    /** Serve {@code /q/openapi} and {@code /q/swagger-ui} on the management port; from {@code GATEWAY_API_DOCS}. Off in prod, on in dev and test. */
    @WithParentName
    @WithDefault("false")
    boolean enabled();
}
