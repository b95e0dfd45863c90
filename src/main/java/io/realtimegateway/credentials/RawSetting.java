package io.realtimegateway.credentials;

import java.util.Optional;

import org.eclipse.microprofile.config.ConfigProvider;

import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;

/**
 * Reads a credential exactly as the operator set it. SmallRye Config keeps whitespace, quotes and CR, but it
 * expands {@code ${...}} and unescapes {@code \$} inside the value of an env var referenced by an expression
 * (checked: {@code LIVEKIT_API_SECRET='a${HOME}b'} arrives as {@code a/homeb}, and as "missing" when the
 * variable is unset). When the property's value came from application.properties' {@code ${ENV:...}}
 * expression, the env var itself is read, so lint and signing see the raw bytes. A property set directly
 * (e.g. {@code GATEWAY_LIVEKIT_API_SECRET}, a test override) takes precedence as usual.
 * The gateway's own secrets (caller and admin API keys, the JWT key, the ticket secret) have no expression in
 * application.properties; {@code config.SettingsInterceptor} reads them without expansion at the source, so their
 * mappings already hold the raw value.
 */
final class RawSetting {

    private RawSetting() {
    }

    static Optional<String> read(String property, String envName, Optional<String> configured) {
        String expression = "${" + envName;
        try {
            ConfigValue value = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigValue(property);
            String raw = value.getRawValue();
            if (raw != null && raw.startsWith(expression)) {
                String env = System.getenv(envName);
                if (env != null && !env.isEmpty()) {
                    return Optional.of(env);
                }
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            // No SmallRye config (plain unit test): the configured value is all there is.
        }
        return configured.filter(v -> !v.isEmpty());
    }
}
