package io.realtimegateway.preflight;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Launches the packaged gateway ({@code -Dgateway.jar}) with a clean environment: nothing of the parent's
 * LIVEKIT_*, OPENAI_* or GATEWAY_* leaks in. The baseline is a valid prod configuration with random secrets.
 */
final class GatewayProcess {

    static final int TIMEOUT_SECONDS = 90;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** What a finished run left behind: exit code and both streams. */
    record Result(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + "\n" + stderr;
        }
    }

    private GatewayProcess() {
    }

    static String random(int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    /** A valid prod configuration (offline checks only, any free port), fresh random secrets each time. */
    static Map<String, String> validEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LIVEKIT_URL", "ws://127.0.0.1:7880");
        env.put("LIVEKIT_API_KEY", "APIgw" + random(10));
        env.put("LIVEKIT_API_SECRET", random(43));
        env.put("OPENAI_API_KEY", "sk-proj-" + random(48));
        env.put("GATEWAY_AUTH_MODE", "api-key");
        env.put("GATEWAY_AUTH_API_KEYS", random(40));
        env.put("GATEWAY_REALTIME_TICKET_SECRET", random(43));
        env.put("GATEWAY_PREFLIGHT_ONLINE", "false");
        env.put("QUARKUS_HTTP_PORT", "0");
        return env;
    }

    static Path jar() {
        String jar = System.getProperty("gateway.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("The packaged gateway is missing (system property gateway.jar = " + jar
                    + "): run the startup tests with ./mvnw verify, which packages first");
        }
        return Path.of(jar);
    }

    static Process start(Map<String, String> env, Path workDir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("HOME", workDir.toString());
        env.forEach((k, v) -> {
            if (v != null) {
                builder.environment().put(k, v);
            }
        });
        builder.redirectOutput(workDir.resolve("stdout.txt").toFile());
        builder.redirectError(workDir.resolve("stderr.txt").toFile());
        return builder.start();
    }

    /** Runs to completion (or kills it after the timeout and fails). */
    static Result run(Map<String, String> env, Path workDir, String... args) throws IOException, InterruptedException {
        Process process = start(env, workDir, args);
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("The gateway did not exit within " + TIMEOUT_SECONDS + " s; output:\n" + output(workDir));
        }
        return new Result(process.exitValue(), read(workDir.resolve("stdout.txt").toFile()), read(workDir.resolve("stderr.txt").toFile()));
    }

    static String output(Path workDir) throws IOException {
        return read(workDir.resolve("stdout.txt").toFile()) + "\n" + read(workDir.resolve("stderr.txt").toFile());
    }

    private static String read(File file) throws IOException {
        return file.exists() ? Files.readString(file.toPath()) : "";
    }
}
