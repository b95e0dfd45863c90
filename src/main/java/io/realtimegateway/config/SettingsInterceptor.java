package io.realtimegateway.config;

import java.util.Optional;

import jakarta.annotation.Priority;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;

/**
 * Makes every {@code gateway.*} setting safe to read before SmallRye converts it. An empty value means "unset" (what
 * compose passes for an empty {@code .env} line): the default applies and the report WARNs. A malformed value
 * ({@code GATEWAY_PREFLIGHT_ONLINE=yes please}, {@code GATEWAY_REALTIME_MAX_SESSIONS=-1}) also falls back to the
 * default, so the boot reaches the preflight, where {@code config.settings} FAILs naming the variable and the fix.
 * Without this, SmallRye stops the process with SRCFG00040 or silently reads an unknown boolean as false.
 * <p>
 * Its priority puts it outside the expression and profile interceptors, so it sees the value the mapping would get.
 */
@Priority(Priorities.APPLICATION + 100)
public class SettingsInterceptor implements ConfigSourceInterceptor {

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value == null || value.getValue() == null || !name.startsWith("gateway.")) {
            return value;
        }
        Optional<SettingSpecs.Spec> spec = SettingSpecs.of(name);
        if (spec.isEmpty()) {
            return value;
        }
        String raw = value.getValue();
        // Empty as written, not an expression such as ${LIVEKIT_KEYS:} that expands to nothing when its variable is unset.
        if (raw.isEmpty() && (value.getRawValue() == null || value.getRawValue().isEmpty())) {
            SettingProblems.record(new SettingProblems.Finding(spec.get().envName(), name, true, "is empty", spec.get().defaultValue()));
            ConfigValue profiled = profiled(context, name);
            return profiled != null ? profiled : fallback(value, spec.get());
        }
        if (raw.isEmpty()) {
            return value;
        }
        Optional<String> problem = spec.get().problem(raw);
        if (problem.isPresent()) {
            SettingProblems.record(new SettingProblems.Finding(spec.get().envName(), name, false, problem.get(), spec.get().defaultValue()));
            return fallback(value, spec.get());
        }
        return value;
    }

    /**
     * What the active profile's own line says (e.g. {@code %dev.gateway.livekit.api-key=devkey} in application.properties),
     * which an empty variable must not hide either; null when no profile sets the property.
     */
    private static ConfigValue profiled(ConfigSourceInterceptorContext context, String name) {
        ConfigValue profile = context.proceed("quarkus.profile");
        String profiles = profile == null || profile.getValue() == null || profile.getValue().isBlank() ? "prod" : profile.getValue();
        for (String active : profiles.split(",")) {
            ConfigValue value = context.proceed("%" + active.trim() + "." + name);
            if (value != null && value.getValue() != null && !value.getValue().isEmpty()) {
                return value;
            }
        }
        return null;
    }

    /** The default, or "unset" for a setting without one (every such setting is optional). */
    private static ConfigValue fallback(ConfigValue value, SettingSpecs.Spec spec) {
        return spec.defaultValue() == null ? null : value.withValue(spec.defaultValue());
    }
}
