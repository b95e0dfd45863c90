package io.realtimegateway.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.realtimegateway.testing.SdkClients;
import io.realtimegateway.testing.Secrets;

/**
 * A process of the LiveKit Agents tier ({@link AgentsIT}): the worker ({@code agent_worker.py}) or a room participant
 * ({@code participant.py}) from {@code src/test/python/agents}, run with the venv that
 * {@code scripts/install-sdk-clients.sh agents} installs (pinned, cached by its requirements' hash; an install that
 * fails fails the tier with pip's output). Its output lines are collected as they come, so a test can wait for one;
 * {@link #output()} masks the secrets it was given, for failure messages.
 */
final class AgentProcess implements AutoCloseable {

    private static Path installed;

    private final Process process;
    private final String[] secrets;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private AgentProcess(Process process, String[] secrets) {
        this.process = process;
        this.secrets = secrets;
        pump(process.getInputStream(), "agent-stdout");
        pump(process.getErrorStream(), "agent-stderr");
    }

    /** The venv's directory (holding {@code venv/} and the scripts), installed once per JVM. */
    static synchronized Path install() {
        if (installed == null) {
            installed = SdkClients.install("agents").resolve("agents");
        }
        return installed;
    }

    /**
     * Runs {@code script} with the venv's python, only PATH, HOME and LANG inherited, plus {@code env}. Values of
     * {@code secrets} are masked in {@link #output()}.
     */
    static AgentProcess start(String script, List<String> args, Map<String, String> env, String... secrets) {
        Path dir = install();
        List<String> command = new ArrayList<>(List.of(dir.resolve("venv/bin/python").toString(), "-u", dir.resolve(script).toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir().toFile());
        Map<String, String> clean = builder.environment();
        clean.keySet().removeIf(name -> !List.of("PATH", "HOME", "LANG").contains(name));
        clean.putAll(env);
        try {
            return new AgentProcess(builder.start(), secrets);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
    }

    private static Path workDir() {
        try {
            Path root = E2e.basedir().resolve("target/e2e");
            Files.createDirectories(root);
            return Files.createTempDirectory(root, "agents-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pump(InputStream in, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The lines so far (stdout and stderr interleaved as they came). */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Waits for a line matching {@code wanted} and returns it, or fails with the process's (masked) output. */
    String awaitLine(Predicate<String> wanted, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive() && lines.stream().noneMatch(wanted)) {
                sleep(200); // let the pumps drain
                if (lines.stream().noneMatch(wanted)) {
                    throw new AssertionError("the process ended (exit " + process.exitValue() + ") before " + what + ":\n" + output());
                }
            }
            sleep(100);
        }
        throw new AssertionError("no " + what + " within " + timeout.toSeconds() + " s:\n" + output());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What it printed, the last 300 lines, secrets masked. */
    String output() {
        List<String> all = lines();
        return Secrets.redact(String.join("\n", all.subList(Math.max(0, all.size() - 300), all.size())), secrets);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Closes its stdin (a participant leaves on that), then SIGTERM, then SIGKILL for it and its children. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
