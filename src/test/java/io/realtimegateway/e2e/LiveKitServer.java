package io.realtimegateway.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real livekit-server on loopback, installed and started by the project's own scripts
 * (scripts/install-livekit-server.sh, scripts/start-livekit-server.sh), so the tests exercise exactly
 * what a developer runs by hand. Secrets stay in the generated livekit.yaml and in this object; the
 * scripts never print them.
 */
final class LiveKitServer implements AutoCloseable {

    private static final long INSTALL_TIMEOUT_MINUTES = 45;

    private final Map<String, String> keys;
    private final Map<String, String> env;
    private final Path dir;

    private LiveKitServer(Map<String, String> keys, Map<String, String> env, Path dir) {
        this.keys = keys;
        this.env = env;
        this.dir = dir;
    }

    /** Installs livekit-server if needed and starts it with these keys (key -> secret, in order). */
    static LiveKitServer start(Map<String, String> keys) {
        Path dir = E2e.workDir("livekit");
        StringBuilder keysLines = new StringBuilder();
        keys.forEach((key, secret) -> keysLines.append(key).append(": ").append(secret).append('\n'));
        String binary = E2e.runScript(List.of("install-livekit-server.sh"), Map.of(), INSTALL_TIMEOUT_MINUTES).strip();
        String out = E2e.runScript(List.of("start-livekit-server.sh", "--dir", dir.toString(), "--bin", binary),
                Map.of("LIVEKIT_KEYS", keysLines.toString()), 2);
        Map<String, String> env = new LinkedHashMap<>();
        out.lines().filter(l -> l.contains("=")).forEach(l -> env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return new LiveKitServer(new LinkedHashMap<>(keys), env, dir);
    }

    /** Two generated key pairs, the way `livekit-server generate-keys` shapes them (API + 12 chars, 43-char secret). */
    static Map<String, String> generatedKeys(int count) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            keys.put("API" + E2e.randomAlnum(12), E2e.randomAlnum(43));
        }
        return keys;
    }

    /** ws:// URL for clients (LIVEKIT_URL). */
    String wsUrl() {
        return env.get("LIVEKIT_URL");
    }

    /** http:// URL of the server API (Twirp, /rtc/validate). */
    String httpUrl() {
        return env.get("LIVEKIT_HTTP_URL");
    }

    /** The livekit.yaml this server runs with. */
    Path configFile() {
        return Path.of(env.get("LIVEKIT_CONFIG_FILE"));
    }

    /** The configured keys, key -> secret, in the order given to {@link #start(Map)}. */
    Map<String, String> keys() {
        return keys;
    }

    String firstKey() {
        return keys.keySet().iterator().next();
    }

    String secretOf(String key) {
        return keys.get(key);
    }

    /** The server's log so far (for failure messages; livekit-server v1.13.5 logs refused tokens verbatim, so redact). */
    String log() {
        try {
            return Files.readString(Path.of(env.get("LIVEKIT_LOG")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** A LiveKit API client for this server, signing with the given key. */
    LiveKitApi api(String key) {
        return new LiveKitApi(httpUrl(), wsUrl(), key, secretOf(key));
    }

    LiveKitApi api() {
        return api(firstKey());
    }

    @Override
    public void close() {
        ProcessHandle.of(Long.parseLong(env.get("LIVEKIT_PID"))).ifPresent(process -> {
            process.destroy();
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
        });
    }

    @Override
    public String toString() {
        return "livekit-server at " + wsUrl() + " (dir " + dir + ", keys " + keys.keySet() + ")";
    }
}
