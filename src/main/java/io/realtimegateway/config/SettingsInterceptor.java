package io.realtimegateway.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.Priority;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Expressions;
import io.smallrye.config.Priorities;

/**
 * Makes every {@code gateway.*} setting safe to read before SmallRye converts it. A malformed value
 * ({@code GATEWAY_PREFLIGHT_ONLINE=yes please}, {@code GATEWAY_REALTIME_MAX_SESSIONS=-1}) falls back to the mapping's
 * default, so the boot reaches the preflight, where {@code config.settings} FAILs naming the variable and the fix.
 * Without this, SmallRye stops the process with SRCFG00040 or silently reads an unknown boolean as false. (An empty
 * value is {@link EmptySettingsInterceptor}'s: it must sit below the profile interceptor, this one above it.)
 * <p>
 * Its priority puts it outside the expression and profile interceptors, so it sees the value the mapping would get.
 * A Quarkus property defined in application.properties as {@code ${gateway.x:default}} (the management port, the
 * API-docs switch) is checked as {@code gateway.x}: the expression is expanded below this interceptor, so
 * without that a malformed {@code GATEWAY_MANAGEMENT_PORT} would still end the boot with a SmallRye conversion error.
 * <p>
 * The gateway's own secrets (marked {@link Verbatim} on their mapping) are read without expression expansion: a random secret may contain
 * {@code ${...}} or {@code \$}, which SmallRye would otherwise expand, unescape, or fail the boot on when the
 * variable is unset. Their mappings hold exactly what the operator set, so lint, fingerprints and verification
 * see the same bytes. (LIVEKIT_* and OPENAI_* come through application.properties expressions: credentials.RawSetting.)
 */
@Priority(Priorities.APPLICATION + 100)
public class SettingsInterceptor implements ConfigSourceInterceptor {

    private static final Pattern GATEWAY_REFERENCE = Pattern.compile("^\\$\\{(gateway\\.[a-z0-9.-]+)(?::[^}]*)?}$");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        Optional<SettingSpecs.Spec> spec = name.startsWith("gateway.") ? SettingSpecs.of(name) : Optional.empty();
        ConfigValue value = spec.filter(SettingSpecs.Spec::verbatim).isPresent() ? Expressions.withoutExpansion(() -> context.proceed(name))
                : context.proceed(name);
        if (value == null || value.getValue() == null) {
            return value;
        }
        if (!name.startsWith("gateway.")) {
            return referenced(value);
        }
        if (spec.isEmpty()) {
            return value;
        }
        String raw = value.getValue();
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

    /** A property whose raw value is exactly {@code ${gateway.x…}}: an empty or malformed expansion gets x's default. */
    private static ConfigValue referenced(ConfigValue value) {
        Matcher reference = value.getRawValue() == null ? null : GATEWAY_REFERENCE.matcher(value.getRawValue());
        if (reference == null || !reference.matches()) {
            return value;
        }
        Optional<SettingSpecs.Spec> spec = SettingSpecs.of(reference.group(1));
        if (spec.isEmpty() || spec.get().defaultValue() == null) {
            return value;
        }
        String expanded = value.getValue();
        Optional<String> problem = expanded.isEmpty() ? Optional.of("is empty") : spec.get().problem(expanded);
        if (problem.isEmpty()) {
            return value;
        }
        // Recorded under gateway.x, once, whichever of the two is read first.
        SettingProblems.record(new SettingProblems.Finding(spec.get().envName(), spec.get().property(), expanded.isEmpty(), problem.get(),
                spec.get().defaultValue()));
        return value.withValue(spec.get().defaultValue());
    }

    /** The default, or "unset" for a setting without one (every such setting is optional). */
    private static ConfigValue fallback(ConfigValue value, SettingSpecs.Spec spec) {
        return spec.defaultValue() == null ? null : value.withValue(spec.defaultValue());
    }
}
