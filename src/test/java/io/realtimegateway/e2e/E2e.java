package io.realtimegateway.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.realtimegateway.testing.ProdEnv;

/** Shared plumbing of the end-to-end tier: where things are, running the project's scripts (random values and redaction: {@link io.realtimegateway.testing.Secrets}). */
final class E2e {

    private E2e() {
    }

    /**
     * What an operator gives the gateway next to {@code server}: its URL, the network checks on, the relay off (no
     * OpenAI in this tier), {@code callerKey} as the one caller key, and no LiveKit key source (each test picks one).
     */
    static ProdEnv gatewayEnv(LiveKitServer server, String callerKey) {
        return ProdEnv.valid().relayOff().online().withoutLiveKitKeys()
                .with("LIVEKIT_URL", server.wsUrl())
                .with("GATEWAY_AUTH_API_KEYS", callerKey);
    }

    /** The project directory (failsafe passes it; the working directory is the fallback). */
    static Path basedir() {
        return Path.of(System.getProperty("e2e.basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    /** A fresh directory under target/e2e for one server or process. */
    static Path workDir(String prefix) {
        try {
            Path root = basedir().resolve("target/e2e");
            Files.createDirectories(root);
            return Files.createTempDirectory(root, prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs scripts/NAME with bash and returns its stdout; stderr (progress and errors, never secrets) is
     * passed through to the test output. A non-zero exit throws with the script's own message, which names
     * a missing tool (Go >= 1.26) when that is the cause.
     */
    static String runScript(List<String> command, Map<String, String> extraEnv, long timeoutMinutes) {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add(basedir().resolve("scripts").resolve(command.get(0)).toString());
        cmd.addAll(command.subList(1, command.size()));
        ProcessBuilder builder = new ProcessBuilder(cmd).directory(basedir().toFile());
        builder.environment().putAll(extraEnv);
        try {
            Process process = builder.start();
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException("scripts/" + command.get(0) + " did not finish within " + timeoutMinutes + " min");
            }
            String err = stderr.join();
            System.err.print(err);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("scripts/" + command.get(0) + " failed (exit " + process.exitValue() + "): " + err.strip());
            }
            return stdout.join();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run bash for scripts/" + command.get(0) + " (MISSING TOOL: bash?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String readAll(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
