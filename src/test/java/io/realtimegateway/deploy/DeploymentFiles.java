package io.realtimegateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads the shipped deployment files (tests run from the project directory). */
final class DeploymentFiles {

    static final Path COMPOSE = Path.of("docker-compose.yml");
    static final Path LIVEKIT_YAML = Path.of("livekit.yaml");
    static final Path ENV_EXAMPLE = Path.of(".env.example");
    static final Path DOCKERFILE_NATIVE = Path.of("src/main/docker/Dockerfile.native");
    static final Path DOCKERFILE_JVM = Path.of("src/main/docker/Dockerfile.jvm");
    static final Path APPLICATION_PROPERTIES = Path.of("src/main/resources/application.properties");
    /** What quarkus-kubernetes writes at package time (memory mode), and the Redis-mode set ({@code -Dquarkus.profile=redis}). */
    static final Path KUBERNETES = Path.of("target/kubernetes/kubernetes.yml");
    static final Path KUBERNETES_REDIS = Path.of("target/kubernetes-redis/kubernetes.yml");
    static final Path README = Path.of("README.md");

    /** The env names operators are promised (docs/configuration.md). */
    static final List<String> DESIGN_ENV_NAMES = List.of(
            "LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET", "LIVEKIT_KEYS", "LIVEKIT_CONFIG_FILE",
            "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORGANIZATION", "OPENAI_PROJECT",
            "GATEWAY_REALTIME_ENABLED", "GATEWAY_PREFLIGHT_ONLINE", "GATEWAY_AUTH_MODE", "GATEWAY_AUTH_API_KEYS",
            "GATEWAY_AUTH_ALLOW_ANONYMOUS", "GATEWAY_REALTIME_TICKET_SECRET", "GATEWAY_REALTIME_MODELS", "GATEWAY_CORS_ORIGINS",
            "GATEWAY_ADMIN_API_KEYS", "GATEWAY_MANAGEMENT_PORT", "GATEWAY_API_DOCS", "GATEWAY_READINESS_REQUIRES", "GATEWAY_SHUTDOWN_DRAIN");

    private static final Pattern PROPERTY_ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    private static final Pattern ENV_LINE = Pattern.compile("^(#\\s*)?([A-Z][A-Z0-9_]*)=(.*)$");

    private DeploymentFiles() {
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file.toAbsolutePath(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) {
        // SafeConstructor: plain maps and lists only; merge keys (<<: *gateway) are resolved as compose does.
        Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(read(file));
        if (!(document instanceof Map)) {
            throw new AssertionError(file + " is not a YAML mapping");
        }
        return (Map<String, Object>) document;
    }

    /** Every document of a multi-document YAML file, as plain maps. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocuments(Path file) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(read(file))) {
            if (document != null) {
                documents.add(map(document, file + " document " + documents.size()));
            }
        }
        return documents;
    }

    /** The default of {@code key} in application.properties: its plain value, or the fallback of {@code ${…:fallback}}. */
    static String applicationPropertyDefault(String key) {
        Pattern line = Pattern.compile("^" + Pattern.quote(key) + "=(.*)$", Pattern.MULTILINE);
        Matcher m = line.matcher(read(APPLICATION_PROPERTIES));
        if (!m.find()) {
            throw new AssertionError(key + " is not set in " + APPLICATION_PROPERTIES);
        }
        Matcher expression = Pattern.compile("^\\$\\{[^:}]+:([^}]*)}$").matcher(m.group(1).strip());
        return expression.matches() ? expression.group(1) : m.group(1).strip();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new AssertionError(what + " is missing or not a mapping: " + value);
        }
        return (Map<String, Object>) value;
    }

    /** A YAML sequence as strings (ports, commands, volumes...). */
    static List<String> strings(Object value, String what) {
        if (!(value instanceof List)) {
            throw new AssertionError(what + " is missing or not a list: " + value);
        }
        List<String> strings = new ArrayList<>();
        for (Object item : (List<?>) value) {
            strings.add(String.valueOf(item));
        }
        return strings;
    }

    static Map<String, Object> service(String name) {
        return map(map(yaml(COMPOSE).get("services"), "services").get(name), "service " + name);
    }

    /** Every {@code ${NAME} / ${NAME:default}} that application.properties reads from the environment. */
    static Set<String> envNamesInApplicationProperties() {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PROPERTY_ENV_REFERENCE.matcher(read(APPLICATION_PROPERTIES));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The env names the gateway reads: the promised ones plus application.properties. */
    static Set<String> gatewayEnvNames() {
        Set<String> names = new LinkedHashSet<>(DESIGN_ENV_NAMES);
        names.addAll(envNamesInApplicationProperties());
        return names;
    }

    /** .env.example as NAME -> value; commented-out examples ({@code # NAME=value}) are listed with a null value. */
    static Map<String, String> envExample() {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : read(ENV_EXAMPLE).split("\n", -1)) {
            Matcher m = ENV_LINE.matcher(line);
            if (m.matches()) {
                boolean commented = m.group(1) != null;
                if (!commented || !entries.containsKey(m.group(2))) {
                    entries.put(m.group(2), commented ? null : m.group(3));
                }
            }
        }
        return entries;
    }

    /** The instructions of a Dockerfile, continuation lines joined, comments dropped. */
    static List<String> dockerInstructions(Path dockerfile) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : read(dockerfile).split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            instructions.add(current.toString());
            current.setLength(0);
        }
        return instructions;
    }

    static List<String> instructionArguments(Path dockerfile, String keyword) {
        List<String> arguments = new ArrayList<>();
        for (String instruction : dockerInstructions(dockerfile)) {
            if (instruction.regionMatches(true, 0, keyword + " ", 0, keyword.length() + 1)) {
                arguments.add(instruction.substring(keyword.length() + 1).strip());
            }
        }
        return arguments;
    }
}
