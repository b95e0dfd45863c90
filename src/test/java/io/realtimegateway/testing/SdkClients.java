package io.realtimegateway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Installs (via scripts/install-sdk-clients.sh) and runs the official SDK test clients. A missing python3, node or
 * npm fails the test with the installer's message naming the tool: the tier is never silently skipped.
 */
public final class SdkClients {

    private SdkClients() {
    }

    /** What a client process printed (stdout and stderr merged) and how it exited. */
    public record Run(int exitCode, String output) {

        /** The event types the client saw, in order ({@code EVENT <type>} lines). */
        public List<String> events() {
            return output.lines().filter(l -> l.startsWith("EVENT ")).map(l -> l.substring(6).trim()).toList();
        }
    }

    /** Installs one part ({@code python} or {@code node}) and returns the cache directory holding it. */
    public static Path install(String part) {
        Run run = run(List.of("bash", projectDir().resolve("scripts/install-sdk-clients.sh").toString(), part),
                Map.of(), 900);
        if (run.exitCode() != 0) {
            throw new AssertionError("Installing the " + part + " SDK client failed (exit " + run.exitCode() + "):\n" + run.output());
        }
        List<String> lines = run.output().lines().filter(l -> !l.isBlank()).toList();
        return Paths.get(lines.get(lines.size() - 1).trim());
    }

    public static Run run(List<String> command, Map<String, String> env, int timeoutSeconds) {
        return run(command, env, timeoutSeconds, projectDir());
    }

    /** {@link #run(List, Map, int)} in {@code workDir}, for tools that leave files in their working directory. */
    public static Run run(List<String> command, Map<String, String> env, int timeoutSeconds, Path workDir) {
        try {
            Path log = Files.createTempFile("sdk-client", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .directory(workDir.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            if (!finished) {
                throw new AssertionError(command.get(0) + " did not finish within " + timeoutSeconds + " s; output:\n" + output);
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("Could not start " + command.get(0) + " (" + e.getMessage() + "); is it installed?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public static List<String> command(String... parts) {
        return new ArrayList<>(List.of(parts));
    }

    /** Maven runs tests in the project directory. */
    public static Path projectDir() {
        return Paths.get("").toAbsolutePath();
    }
}
