package io.realtimegateway.config;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

/**
 * Every {@code gateway.*} setting with its type and default, read from the {@code @ConfigMapping} interfaces, and
 * the one rule of what a well-formed value of each type is ({@link ZeroAllowed} on the mapping marks where 0 is one).
 * {@link SettingsInterceptor} and {@link EmptySettingsInterceptor} apply it before SmallRye converts anything, so a bad
 * value becomes a named FAIL in the report instead of a library exception.
 * <p>
 * The mappings are the classes registered for reflection below (the native image needs their methods for this
 * scan): one list, which SettingSpecsTest holds equal to every {@code gateway.*} mapping of the code base. By name,
 * because the mappings live in their features' packages and config/ imports none of them.
 */
@RegisterForReflection(classNames = {
        "io.realtimegateway.auth.AdminConfig", "io.realtimegateway.auth.AuthConfig", "io.realtimegateway.auth.AuthConfig$Jwt",
        "io.realtimegateway.auth.CorsConfig", "io.realtimegateway.config.Environment",
        "io.realtimegateway.console.ConsoleConfig", "io.realtimegateway.credentials.LiveKitConfig", "io.realtimegateway.credentials.OpenAiConfig",
        "io.realtimegateway.health.ReadinessConfig", "io.realtimegateway.health.ShutdownConfig", "io.realtimegateway.http.ApiDocsConfig",
        "io.realtimegateway.http.HttpConfig", "io.realtimegateway.http.ManagementPortConfig", "io.realtimegateway.livekit.RoomPolicyConfig",
        "io.realtimegateway.livekit.TokenConfig", "io.realtimegateway.livekit.TokenConfig$Grant", "io.realtimegateway.openai.CallsConfig",
        "io.realtimegateway.openai.ClientSecretsConfig", "io.realtimegateway.preflight.PreflightConfig",
        "io.realtimegateway.ratelimit.RateLimitConfig", "io.realtimegateway.realtime.RealtimeConfig", "io.realtimegateway.state.StateConfig",
        "io.realtimegateway.usage.BudgetConfig" }, methods = true)
final class SettingSpecs {

    /** The mapping interfaces (nested groups such as {@code AuthConfig.Jwt} are reached from their mapping). */
    static final List<Class<?>> MAPPINGS = Arrays.stream(SettingSpecs.class.getAnnotation(RegisterForReflection.class).classNames())
            .<Class<?>>map(SettingSpecs::load).filter(type -> type.isAnnotationPresent(ConfigMapping.class)).toList();

    private static final Map<String, Spec> SPECS = scan();

    private SettingSpecs() {
    }

    /**
     * One setting: its property name, value type (the element type of a list), default (null when it has none),
     * whether it is a comma-separated list, whether 0 is a valid number or duration for it ({@link ZeroAllowed}), and
     * whether it is read without expression expansion ({@link Verbatim}).
     */
    record Spec(String property, Class<?> type, String defaultValue, boolean list, boolean zeroAllowed, boolean verbatim) {

        /** The environment variable that sets it: {@code gateway.preflight.online} → {@code GATEWAY_PREFLIGHT_ONLINE}. */
        String envName() {
            return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        }

        /** What is wrong with a non-empty value, with the fix; empty when it is well-formed. */
        Optional<String> problem(String value) {
            if (list) {
                // Each entry on its own; values are never shown, the allowed names are.
                for (String entry : value.split(",")) {
                    Optional<String> problem = entry.isBlank() ? Optional.empty() : element(entry);
                    if (problem.isPresent()) {
                        return Optional.of("has an entry that " + problem.get());
                    }
                }
                return Optional.empty();
            }
            return element(value);
        }

        private Optional<String> element(String value) {
            if (type == boolean.class || type == Boolean.class) {
                return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? Optional.empty()
                        : Optional.of("is not a boolean: use true or false");
            }
            if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
                long number;
                try {
                    number = type == int.class || type == Integer.class ? Integer.parseInt(value.trim()) : Long.parseLong(value.trim());
                } catch (NumberFormatException e) {
                    return Optional.of("is not a whole number");
                }
                return range(number < 0, number == 0);
            }
            if (type == Duration.class) {
                Duration duration;
                try {
                    duration = DurationConverter.parseDuration(value.trim());
                } catch (RuntimeException e) {
                    return Optional.of("is not a duration: use e.g. 30s, 5m, 1h or 500ms");
                }
                return duration == null ? Optional.of("is not a duration: use e.g. 30s, 5m, 1h or 500ms")
                        : range(duration.isNegative(), duration.isZero());
            }
            if (type.isEnum()) {
                String normalized = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
                List<String> names = Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
                return names.contains(normalized) ? Optional.empty()
                        : Optional.of("is not one of " + String.join(", ",
                                names.stream().map(n -> n.toLowerCase(Locale.ROOT).replace('_', '-')).toList()));
            }
            return Optional.empty();
        }

        private Optional<String> range(boolean negative, boolean zero) {
            if (negative) {
                return Optional.of("is negative");
            }
            if (zero && !zeroAllowed) {
                return Optional.of("is zero; it must be positive");
            }
            return Optional.empty();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, SettingSpecs.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("a mapping listed in SettingSpecs is missing: " + name, e);
        }
    }

    static Optional<Spec> of(String property) {
        return Optional.ofNullable(SPECS.get(property));
    }

    static Map<String, Spec> all() {
        return SPECS;
    }

    private static Map<String, Spec> scan() {
        Map<String, Spec> specs = new LinkedHashMap<>();
        for (Class<?> mapping : MAPPINGS) {
            scan(mapping, mapping.getAnnotation(ConfigMapping.class).prefix(), specs);
        }
        return Map.copyOf(specs);
    }

    private static void scan(Class<?> group, String prefix, Map<String, Spec> into) {
        Method[] methods = group.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method method : methods) {
            if (method.getParameterCount() > 0 || method.isDefault() || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            WithName rename = method.getAnnotation(WithName.class);
            String name = method.isAnnotationPresent(WithParentName.class) ? prefix
                    : prefix + "." + (rename != null ? rename.value() : kebab(method.getName()));
            Class<?> type = method.getReturnType();
            Type generic = method.getGenericReturnType();
            boolean list = false;
            if (type == Optional.class && generic instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> c) {
                type = c;
            } else if (type == Optional.class && generic instanceof ParameterizedType p
                    && p.getActualTypeArguments()[0] instanceof ParameterizedType l && l.getRawType() == List.class
                    && l.getActualTypeArguments()[0] instanceof Class<?> element && element.isEnum()) {
                type = element; // Optional<List<SomeEnum>>: each entry must be one of its names
                list = true;
            } else if (type == Optional.class) {
                type = List.class; // Optional<List<String>>
            } else if (type == List.class && generic instanceof ParameterizedType l && l.getActualTypeArguments()[0] instanceof Class<?> element
                    && element.isEnum()) {
                type = element; // List<SomeEnum> with a default (GATEWAY_AUTH_MODE=api-key,jwt): each entry must be one of its names
                list = true;
            }
            if (type.isInterface() && !type.getName().startsWith("java.")) { // a nested group such as AuthConfig.Jwt
                scan(type, name, into);
                continue;
            }
            WithDefault fallback = method.getAnnotation(WithDefault.class);
            into.put(name, new Spec(name, type, fallback == null ? null : fallback.value(), list, method.isAnnotationPresent(ZeroAllowed.class),
                    method.isAnnotationPresent(Verbatim.class)));
        }
    }

    /** {@code maxSessionsPerIdentity} → {@code max-sessions-per-identity}, as SmallRye names mapping methods. */
    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
