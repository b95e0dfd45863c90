package io.realtimegateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * Whether the gateway may take the dev shortcuts that have no setting of their own (anonymous callers without
 * {@code GATEWAY_AUTH_ALLOW_ANONYMOUS}, a relay-ticket secret generated per boot, the diagnostics endpoint without
 * admin keys, {@code GATEWAY_CORS_ORIGINS=*}, caller JWTs without {@code iss}/{@code aud}, the sample token in the
 * diagnostics).
 * <p>
 * The active config profile decides, through application.properties ({@code %dev.gateway.dev-mode=true},
 * {@code %test.gateway.dev-mode=true}), so a custom profile whose parent is {@code dev} is dev too, and nothing here
 * reads the profile. Every other dev/test difference is the profile's own value of that behaviour's setting
 * ({@code %dev.gateway.auth.mode=none}, {@code %dev.gateway.preflight.enforce=false}, ...).
 */
@ConfigMapping(prefix = "gateway.dev-mode")
public interface Environment {

    /** {@code GATEWAY_DEV_MODE}: on under the {@code dev} and {@code test} profiles, off (prod) otherwise. */
    @WithParentName
    @WithDefault("false")
    boolean devMode();

    /** Prod: no dev shortcut applies. */
    default boolean isProd() {
        return !devMode();
    }
}
