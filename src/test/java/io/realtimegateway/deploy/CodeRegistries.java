package io.realtimegateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

/**
 * What the code itself declares, read from the compiled classes (never from a hand-kept list), so that the docs can be
 * held against it: the settings, the startup check names and the JAX-RS paths. Each registry is found by what it is,
 * not by its class name or package, so it survives moves and renames:
 * <ul>
 * <li>settings: every {@code @ConfigMapping} interface under {@code gateway.*} (its methods, nested groups,
 * {@code @WithName}, {@code @WithParentName}), named as env vars; where application.properties feeds a property from
 * another variable ({@code gateway.livekit.url=${LIVEKIT_URL:}}) that variable is its name; plus every other
 * {@code ${NAME…}} application.properties reads ({@code PORT});</li>
 * <li>check names: the {@code static final String} constants of every {@code PreflightCheck} implementation whose value
 * starts with a feature's key and a dot ({@code livekit.keys.present}); the feature keys come from the enum that
 * {@code PreflightCheck.feature()} returns;</li>
 * <li>JAX-RS paths: class-level {@code @Path} joined with each method's.</li>
 * </ul>
 */
final class CodeRegistries {

    static final Path CLASSES = Path.of("target/classes");
    private static final String ROOT_PACKAGE = "io.realtimegateway";
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    private static final Pattern PROPERTY_FROM_ENV = Pattern.compile("^(gateway\\.[a-z0-9.-]+)=\\$\\{([A-Z][A-Z0-9_]*)[:}]", Pattern.MULTILINE);

    private CodeRegistries() {
    }

    /** Every class compiled from src/main, loaded without initialization. */
    static List<Class<?>> mainClasses() {
        List<Class<?>> classes = new ArrayList<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (Stream<Path> walk = Files.walk(CLASSES)) {
            for (Path file : walk.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = CLASSES.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".").replaceAll("\\.class$", "");
                if (!name.startsWith(ROOT_PACKAGE + ".")) {
                    continue;
                }
                try {
                    classes.add(Class.forName(name, false, loader));
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new AssertionError("cannot load " + name + " to read its declarations", e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(classes).as("compiled classes under %s", CLASSES).isNotEmpty();
        return classes;
    }

    /** Property name -> the env variable an operator sets, for every {@code gateway.*} setting of the mappings. */
    static Map<String, String> settings() {
        Map<String, String> aliases = new LinkedHashMap<>();
        Matcher m = PROPERTY_FROM_ENV.matcher(DeploymentFiles.read(DeploymentFiles.APPLICATION_PROPERTIES));
        while (m.find()) {
            aliases.put(m.group(1), m.group(2));
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (Class<?> type : mainClasses()) {
            ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
            if (mapping != null && mapping.prefix().startsWith("gateway")) {
                scan(type, mapping.prefix(), settings);
            }
        }
        assertThat(settings).as("gateway.* settings found in @ConfigMapping interfaces").isNotEmpty();
        settings.replaceAll((property, env) -> aliases.getOrDefault(property, env));
        return settings;
    }

    /** Every env variable the gateway reads: its settings' names and the other {@code ${NAME}} of application.properties. */
    static Set<String> envNames() {
        Set<String> names = new TreeSet<>(settings().values());
        Matcher m = ENV_REFERENCE.matcher(DeploymentFiles.read(DeploymentFiles.APPLICATION_PROPERTIES));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static void scan(Class<?> group, String prefix, Map<String, String> into) {
        for (Method method : group.getDeclaredMethods()) {
            if (method.getParameterCount() > 0 || method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.isSynthetic()) {
                continue;
            }
            WithName rename = method.getAnnotation(WithName.class);
            String name = method.isAnnotationPresent(WithParentName.class) ? prefix
                    : prefix + "." + (rename != null ? rename.value() : kebab(method.getName()));
            Class<?> type = method.getReturnType();
            Type generic = method.getGenericReturnType();
            if (type == Optional.class && generic instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> c) {
                type = c;
            }
            if (type.isInterface() && type.getName().startsWith(ROOT_PACKAGE + ".")) {
                scan(type, name, into); // a nested group such as gateway.auth.jwt
                continue;
            }
            into.put(name, envName(name));
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** Every check name the preflight checks can report. */
    static Set<String> checkNames() {
        List<Class<?>> classes = mainClasses();
        Class<?> checkType = classes.stream().filter(c -> c.isInterface() && c.getSimpleName().equals("PreflightCheck")).findFirst()
                .orElseThrow(() -> new AssertionError("no PreflightCheck interface among the compiled classes"));
        Set<String> keys = new TreeSet<>();
        try {
            Class<?> feature = checkType.getMethod("feature").getReturnType();
            Method key = feature.getMethod("key");
            for (Object constant : feature.getEnumConstants()) {
                keys.add((String) key.invoke(constant));
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("PreflightCheck.feature() no longer returns an enum with key(): update CodeRegistries", e);
        }
        Pattern checkName = Pattern.compile("(" + String.join("|", keys) + ")\\.[a-z0-9-]+(\\.[a-z0-9-]+)*");
        Set<String> names = new TreeSet<>();
        for (Class<?> type : classes) {
            if (type.isInterface() || !checkType.isAssignableFrom(type)) {
                continue;
            }
            for (Field field : type.getDeclaredFields()) {
                if (field.getType() == String.class && Modifier.isStatic(field.getModifiers()) && Modifier.isFinal(field.getModifiers())) {
                    try {
                        field.setAccessible(true);
                        Object value = field.get(null);
                        if (value instanceof String s && checkName.matcher(s).matches()) {
                            names.add(s);
                        }
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        assertThat(names).as("check names declared by the PreflightCheck implementations").isNotEmpty();
        return names;
    }

    /** Every path a JAX-RS resource serves: class {@code @Path} joined with each resource method's. */
    static Set<String> jaxRsPaths() {
        Set<String> paths = new TreeSet<>();
        for (Class<?> type : mainClasses()) {
            String base = path(type.getAnnotations());
            if (base == null) {
                continue;
            }
            boolean methodPaths = false;
            for (Method method : type.getDeclaredMethods()) {
                String sub = path(method.getAnnotations());
                if (sub != null) {
                    paths.add(join(base, sub));
                    methodPaths = true;
                } else if (httpMethod(method)) {
                    paths.add(join(base, ""));
                }
            }
            if (!methodPaths) {
                paths.add(join(base, ""));
            }
        }
        return paths;
    }

    private static String path(Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof jakarta.ws.rs.Path p) {
                return p.value();
            }
        }
        return null;
    }

    private static boolean httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            if (annotation.annotationType().isAnnotationPresent(jakarta.ws.rs.HttpMethod.class)) {
                return true;
            }
        }
        return false;
    }

    private static String join(String base, String sub) {
        String joined = ("/" + base + "/" + sub).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
