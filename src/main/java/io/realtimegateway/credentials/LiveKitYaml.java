package io.realtimegateway.credentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads LiveKit keys the way livekit-server v1.13 does (its config and key-provider code):
 * <ul>
 * <li>{@code LIVEKIT_KEYS}: YAML into {@code map[string]any}; anything but a mapping is "Could not parse keys";
 * values YAML types as non-strings (all digits, {@code true}, empty) are silently dropped.</li>
 * <li>livekit.yaml {@code keys:} and {@code key_file:}: YAML into {@code map[string]string}, so scalars keep their
 * text; {@code key_file} replaces {@code keys}, its path gets {@code ~} and env expansion, and it must not be
 * readable by "others".</li>
 * </ul>
 * Works on the node tree (no object construction, no reflection) to keep raw texts, YAML types and line numbers.
 * Messages name lines and keys, never a secret or a "key: secret" line.
 */
final class LiveKitYaml {

    static final String LIVEKIT_PARSE_ERROR =
            "Could not parse keys, it needs to be exactly, \"key: secret\", including the space";
    static final String KEYS_FORMAT = "livekit.keys.format";
    static final String DIGITS = "livekit.secret.digits";
    static final String CONFIG_FILE = "livekit.config-file";
    static final String KEY_FILE_PERMISSIONS = "livekit.key-file.permissions";

    private static final String FORMAT_FIX =
            "write one \"key: secret\" per line, with a space after the colon (or the flow form {key1: secret1, key2: secret2})";
    private static final String DIGITS_FIX =
            "generate a new secret (" + SecretLint.GENERATE + ") or quote it in YAML (key: \"123...\")";
    private static final Pattern ENV_REF = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))");

    private LiveKitYaml() {
    }

    /** {@code LIVEKIT_KEYS}: the {@code --keys} parsing of livekit-server, which drops non-string values. */
    static KeySource parseKeysEnv(String text) {
        List<LiveKitKey> keys = new ArrayList<>();
        List<KeyProblem> problems = new ArrayList<>();
        readKeyMap(text, KeySource.ENV_KEYS, true, keys, problems);
        return new KeySource(KeySource.ENV_KEYS, keys, problems);
    }

    /** The server's livekit.yaml: {@code key_file:} when set, else {@code keys:}. */
    static KeySource readServerConfig(Path file, Map<String, String> env) {
        String name = "livekit.yaml (" + file + ")";
        List<LiveKitKey> keys = new ArrayList<>();
        List<KeyProblem> problems = new ArrayList<>();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException | RuntimeException e) {
            problems.add(new KeyProblem(CONFIG_FILE, "LIVEKIT_CONFIG_FILE " + file + " cannot be read (" + e.getClass().getSimpleName() + ")",
                    "point LIVEKIT_CONFIG_FILE at the livekit.yaml the server uses, readable by the gateway (mount it read-only)"));
            return new KeySource(name, keys, problems);
        }
        Node root;
        try {
            root = yaml().compose(new java.io.StringReader(text));
        } catch (YAMLException e) {
            problems.add(new KeyProblem(CONFIG_FILE, name + " is not valid YAML" + lineOf(e),
                    "fix the YAML syntax; livekit-server cannot read this file either"));
            return new KeySource(name, keys, problems);
        }
        if (root == null) {
            return new KeySource(name, keys, problems);
        }
        if (!(root instanceof MappingNode mapping)) {
            problems.add(new KeyProblem(CONFIG_FILE, name + " is not a YAML mapping", "use livekit-server's config format (keys:, port:, ...)"));
            return new KeySource(name, keys, problems);
        }
        Node keysNode = null;
        Node keyFileNode = null;
        for (NodeTuple tuple : mapping.getValue()) {
            String field = scalarText(tuple.getKeyNode());
            if ("keys".equals(field)) {
                keysNode = tuple.getValueNode();
            } else if ("key_file".equals(field)) {
                keyFileNode = tuple.getValueNode();
            }
        }
        String keyFile = keyFileNode instanceof ScalarNode scalar && !scalar.getTag().equals(Tag.NULL) ? scalar.getValue() : "";
        if (!keyFile.isEmpty()) {
            Path path = expandPath(keyFile, env);
            String source = "key_file " + path;
            if (keysNode != null && keysNode instanceof MappingNode m && !m.getValue().isEmpty()) {
                problems.add(new KeyProblem(CONFIG_FILE, name + " sets both key_file and keys: livekit-server ignores keys:",
                        "remove keys: from livekit.yaml, or drop key_file"));
            }
            readKeyFile(path, source, keys, problems);
            return new KeySource(name, keys, problems);
        }
        if (keysNode != null) {
            if (keysNode instanceof MappingNode keyMapping) {
                readKeyTuples(keyMapping, name, false, keys, problems);
            } else if (!(keysNode instanceof ScalarNode s && s.getTag().equals(Tag.NULL))) {
                problems.add(new KeyProblem(KEYS_FORMAT, name + " keys: (line " + line(keysNode) + ") is not a key: secret map",
                        "write keys: as an indented map, one \"key: secret\" per line"));
            }
        }
        return new KeySource(name, keys, problems);
    }

    private static void readKeyFile(Path path, String source, List<LiveKitKey> keys, List<KeyProblem> problems) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.OTHERS_WRITE)
                    || perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                problems.add(new KeyProblem(KEY_FILE_PERMISSIONS, source + " is accessible by others; livekit-server refuses it with "
                        + "\"key file others permissions must be set to 0\"", "chmod o-rwx " + path + " (e.g. chmod 600)"));
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: livekit-server's mode check cannot be mirrored here.
        } catch (IOException e) {
            problems.add(new KeyProblem(CONFIG_FILE, source + " named in livekit.yaml cannot be read (" + e.getClass().getSimpleName() + ")",
                    "make key_file point at the key file as the gateway sees it (same mount path as livekit-server)"));
            return;
        }
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException | RuntimeException e) {
            problems.add(new KeyProblem(CONFIG_FILE, source + " named in livekit.yaml cannot be read (" + e.getClass().getSimpleName() + ")",
                    "make key_file point at the key file as the gateway sees it (same mount path as livekit-server)"));
            return;
        }
        readKeyMap(text, source, false, keys, problems);
    }

    /** Parses a "key: secret" document into keys and problems. */
    private static void readKeyMap(String text, String source, boolean dropNonStrings, List<LiveKitKey> keys, List<KeyProblem> problems) {
        Node root;
        try {
            root = yaml().compose(new java.io.StringReader(text));
        } catch (YAMLException e) {
            problems.add(malformed(text, source, e));
            return;
        }
        if (root == null) {
            return;
        }
        if (!(root instanceof MappingNode mapping)) {
            problems.add(malformed(text, source, null));
            return;
        }
        readKeyTuples(mapping, source, dropNonStrings, keys, problems);
    }

    private static void readKeyTuples(MappingNode mapping, String source, boolean dropNonStrings, List<LiveKitKey> keys,
            List<KeyProblem> problems) {
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            int line = line(tuple.getKeyNode());
            String key = scalarText(tuple.getKeyNode());
            if (key == null || !(tuple.getValueNode() instanceof ScalarNode value)) {
                problems.add(new KeyProblem(KEYS_FORMAT, source + " line " + line + " is not a \"key: secret\" pair", FORMAT_FIX));
                continue;
            }
            if (!seen.add(key)) {
                problems.add(new KeyProblem(KEYS_FORMAT, source + " line " + line + " defines key " + key + " a second time; "
                        + "livekit-server refuses duplicate keys", "keep one line per key"));
                continue;
            }
            String where = source + " line " + line;
            if (value.getTag().equals(Tag.NULL)) {
                problems.add(new KeyProblem(KEYS_FORMAT, where + ": key " + key + " has no secret", FORMAT_FIX));
                continue;
            }
            if (dropNonStrings && !isYamlString(value)) {
                boolean digits = value.getTag().equals(Tag.INT) || value.getTag().equals(Tag.FLOAT);
                problems.add(new KeyProblem(digits ? DIGITS : KEYS_FORMAT, where + ": the secret of key " + key + " is a YAML "
                        + value.getTag().getValue().replace("tag:yaml.org,2002:", "") + ", not a string; livekit-server silently drops it "
                        + "(and then has no such key)", digits ? DIGITS_FIX : "quote the secret in YAML or generate a new one"));
                continue;
            }
            keys.add(new LiveKitKey(key, value.getValue(), where));
        }
    }

    /** Strings as go-yaml v3 types them: SnakeYAML (YAML 1.1) also reads yes/no/on/off as booleans, go-yaml does not. */
    private static boolean isYamlString(ScalarNode value) {
        if (value.getTag().equals(Tag.STR)) {
            return true;
        }
        return value.getTag().equals(Tag.BOOL) && !value.getValue().matches("true|True|TRUE|false|False|FALSE");
    }

    private static KeyProblem malformed(String text, String source, YAMLException cause) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        List<Integer> bad = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("{") || line.endsWith("}")) {
                continue;
            }
            if (!line.contains(": ") && !line.endsWith(":")) {
                bad.add(i + 1);
            }
        }
        String where;
        if (!bad.isEmpty()) {
            where = (bad.size() == 1 ? " line " : " lines ") + String.join(", ", bad.stream().map(String::valueOf).toList());
        } else {
            where = cause == null ? "" : lineOf(cause);
        }
        return new KeyProblem(KEYS_FORMAT, source + where + " is not \"key: secret\"; livekit-server would stop with \""
                + LIVEKIT_PARSE_ERROR + "\"", FORMAT_FIX);
    }

    private static String lineOf(YAMLException e) {
        if (e instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null) {
            return " (line " + (marked.getProblemMark().getLine() + 1) + ")";
        }
        return "";
    }

    private static String scalarText(Node node) {
        return node instanceof ScalarNode scalar ? scalar.getValue() : null;
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    /** {@code ~} and {@code $VAR}/{@code ${VAR}} expansion, like livekit-server's os.ExpandEnv on key_file. */
    static Path expandPath(String path, Map<String, String> env) {
        Matcher m = ENV_REF.matcher(path);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String var = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(Optional.ofNullable(env.get(var)).orElse("")));
        }
        m.appendTail(out);
        String expanded = out.toString();
        if (expanded.equals("~") || expanded.startsWith("~/")) {
            String home = Optional.ofNullable(env.get("HOME")).orElse(System.getProperty("user.home"));
            expanded = home + expanded.substring(1);
        }
        return Path.of(expanded);
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setCodePointLimit(1024 * 1024);
        return new Yaml(new SafeConstructor(options));
    }
}
