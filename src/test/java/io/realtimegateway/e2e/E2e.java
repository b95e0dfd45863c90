package io.realtimegateway.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Shared plumbing of the end-to-end tier: where things are, running the project's scripts, random values, redaction. */
final class E2e {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private E2e() {
    }

    /** The project directory (failsafe passes it; the working directory is the fallback). */
    static Path basedir() {
        return Path.of(System.getProperty("e2e.basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    /** The packaged gateway (failsafe's {@code gateway.jar}). */
    static Path gatewayJar() {
        Path jar = Path.of(System.getProperty("gateway.jar", basedir().resolve("target/quarkus-app/quarkus-run.jar").toString()));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("packaged gateway not found at " + jar + ": run ./mvnw verify (package runs before the *IT tier)");
        }
        return jar;
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

    static String randomAlnum(int length) {
        StringBuilder s = new StringBuilder(length);
        // The first character is a letter, so the value is never all digits (livekit-server drops those).
        s.append(ALNUM.charAt(RANDOM.nextInt(52)));
        while (s.length() < length) {
            s.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
        }
        return s.toString();
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

    /** Replaces every secret and token in {@code text} before it can reach an assertion message. */
    static String redact(String text, String... secrets) {
        String result = text == null ? "" : text;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                result = result.replace(secret, "<redacted>");
            }
        }
        // Any JWT (livekit-server v1.13.5 echoes refused tokens in its 401 bodies).
        return result.replaceAll("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*", "<jwt>");
    }
}
