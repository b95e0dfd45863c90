package io.realtimegateway.config;

import java.util.Optional;

import jakarta.annotation.Priority;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;

/**
 * An empty {@code gateway.*} value means "unset" (what compose passes for an empty {@code .env} line): the report
 * WARNs ({@code config.settings}) and the value the setting has without it applies.
 * <p>
 * Its priority puts it below SmallRye's profile interceptor (and the expression interceptor, so it sees values as
 * written). The profile interceptor asks it for {@code %profile.name} of each active profile (parents included) and
 * for {@code name}, and keeps the profile's value unless {@code name} comes from a source of higher ordinal. So an empty
 * {@code name} is answered with the mapping's {@code @WithDefault} at the lowest ordinal (or nothing, for a setting
 * without a default), and the active profile's own line ({@code %dev.gateway.auth.mode=none}) still wins over it,
 * without this class knowing which profiles are active.
 */
@Priority(Priorities.LIBRARY + 150)
public class EmptySettingsInterceptor implements ConfigSourceInterceptor {

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value == null || value.getValue() == null || !value.getValue().isEmpty()) {
            return value;
        }
        if (name.startsWith("%") && name.contains(".gateway.")) {
            return null; // an empty profile line (%dev.gateway.x=) sets nothing either
        }
        Optional<SettingSpecs.Spec> spec = name.startsWith("gateway.") ? SettingSpecs.of(name) : Optional.empty();
        if (spec.isEmpty()) {
            return value;
        }
        SettingProblems.record(new SettingProblems.Finding(spec.get().envName(), name, true, "is empty", spec.get().defaultValue()));
        return spec.get().defaultValue() == null ? null : value.withValue(spec.get().defaultValue()).withConfigSourceOrdinal(Integer.MIN_VALUE);
    }
}
