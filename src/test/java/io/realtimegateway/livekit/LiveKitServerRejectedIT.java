package io.realtimegateway.livekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The packaged jar, with a clean environment, refuses to boot when the LiveKit server answers ListRooms with 401:
 * non-zero exit, a message naming the key and the fix, and no secret or token in the output.
 */
class LiveKitServerRejectedIT {

    private static final String KEY = "APIitKey";
    private static final String SERVER_SECRET = "server-side-secret-0123456789abcdefghijk";
    private static final String GATEWAY_SECRET = "gateway-side-secret-0123456789abcdefghij";
    private static final String GATEWAY_API_KEY = "it-gateway-api-key-0123456789abcdefghijk";

    @Test
    void rejectedKeyPairRefusesBoot() throws Exception {
        String jar = System.getProperty("gateway.jar");
        assertThat(jar).as("system property gateway.jar (set by failsafe)").isNotBlank();
        assertThat(Path.of(jar)).as("packaged gateway: run ./mvnw verify").exists();

        try (FakeLiveKitServer server = new FakeLiveKitServer(Map.of(KEY, SERVER_SECRET))) {
            Path output = Files.createTempFile("gateway-it", ".log");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            Map<String, String> env = builder.environment();
            env.clear();
            env.put("LIVEKIT_URL", server.wsUrl());
            env.put("LIVEKIT_API_KEY", KEY);
            env.put("LIVEKIT_API_SECRET", GATEWAY_SECRET);
            env.put("GATEWAY_AUTH_MODE", "api-key");
            env.put("GATEWAY_AUTH_API_KEYS", GATEWAY_API_KEY);
            env.put("GATEWAY_REALTIME_ENABLED", "false");
            env.put("GATEWAY_PREFLIGHT_ATTEMPTS", "1");
            env.put("GATEWAY_PREFLIGHT_TIMEOUT", "30s");
            env.put("QUARKUS_HTTP_PORT", "0");
            Process process = builder.start();
            boolean exited = process.waitFor(120, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.deleteIfExists(output);
            assertThat(exited).as("the gateway must refuse to boot, not serve; output:%n%s", text).isTrue();
            assertThat(process.exitValue()).as("exit code; output:%n%s", text).isNotZero();
            assertThat(text).contains("livekit.server", "key/secret rejected by the LiveKit server", "'" + KEY + "'", "fix:",
                    "sha256sum", "Refusing to start");
            List<String> tokens = server.receivedTokens();
            assertThat(tokens).as("the gateway called ListRooms").isNotEmpty();
            assertThat(text).doesNotContain(GATEWAY_SECRET).doesNotContain(SERVER_SECRET).doesNotContain(GATEWAY_API_KEY)
                    .doesNotContain("eyJ");
            tokens.forEach(token -> assertThat(text).doesNotContain(token));
        } catch (IOException e) {
            throw new AssertionError("could not run the packaged gateway", e);
        }
    }
}
