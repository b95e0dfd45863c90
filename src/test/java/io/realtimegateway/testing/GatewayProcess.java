package io.realtimegateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged gateway ({@code java -jar} the jar of system property {@code gateway.jar}, or the native executable of
 * {@code native.image.path} in the native tier) in prod mode, with a
 * clean environment: only PATH, HOME, JAVA_HOME and LANG are inherited, plus an ephemeral port on loopback;
 * everything else is what the test passes (nothing of the parent's LIVEKIT_*, OPENAI_* or GATEWAY_* leaks in).
 * This is how an operator runs it, so every env-name mapping is exercised for real. Both streams are captured
 * as they come; the raw text is what tests assert on, {@link #redactedOutput()} is for failure messages.
 */
public final class GatewayProcess implements AutoCloseable {

    /** How long a run to completion ({@link #run}) may take before it is killed and the test fails. */
    public static final int TIMEOUT_SECONDS = 90;
    /** What {@link #awaitExit} returns while the process still runs. */
    public static final int STILL_RUNNING = -1;

    private static final int LISTEN_TIMEOUT_SECONDS = 180;
    private static final List<String> INHERITED = List.of("PATH", "HOME", "JAVA_HOME", "LANG");
    /** Quarkus logs both servers in one line: "Listening on: http://…:8080. Management interface listening on http://…:9000." */
    private static final Pattern LISTENING_LINE = Pattern.compile("Listening on: ([^\\n]*)\\n");
    private static final Pattern URL = Pattern.compile("^(http://[^\\s,]+?)\\.?(?:\\s|$)");
    private static final Pattern MANAGEMENT = Pattern.compile("Management interface listening on (http://[^\\s,]+?)\\.?(?:\\s|$)");
    private static final Pattern LISTENING_TLS = Pattern.compile("Listening on: .*?(https://[^\\s,]+?)\\.?(?:\\s|,|$)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What a finished run left behind: exit code and both streams. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** Everything an operator would see: stdout, then stderr. */
        public String output() {
            return stdout + "\n" + stderr;
        }
    }

    private final Process process;
    private final String[] secrets;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final CompletableFuture<String> baseUrl = new CompletableFuture<>();
    private final CompletableFuture<String> managementUrl = new CompletableFuture<>();
    private final AtomicInteger openStreams = new AtomicInteger(2);
    private final Thread stdoutPump;
    private final Thread stderrPump;

    private GatewayProcess(Process process, String[] secrets) {
        this.process = process;
        this.secrets = secrets;
        this.stdoutPump = pump(process.getInputStream(), stdout, "gateway-stdout");
        this.stderrPump = pump(process.getErrorStream(), stderr, "gateway-stderr");
    }

    /** The packaged gateway; fails clearly when failsafe did not pass it or {@code package} has not run. */
    public static Path jar() {
        String jar = System.getProperty("gateway.jar");
        if (jar == null || jar.isBlank()) {
            throw new IllegalStateException("system property gateway.jar is not set: run the *IT tests with ./mvnw verify "
                    + "(failsafe passes target/quarkus-app/quarkus-run.jar)");
        }
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("packaged gateway not found at " + jar + " (system property gateway.jar): "
                    + "run ./mvnw verify, which packages before the *IT tests");
        }
        return Path.of(jar);
    }

    /**
     * The native executable when failsafe runs the native tier ({@code -Dnative} sets {@code native.image.path}, as for
     * {@code @QuarkusIntegrationTest}), otherwise the packaged jar.
     */
    public static Optional<Path> nativeExecutable() {
        String path = System.getProperty("native.image.path");
        if (path == null || path.isBlank()) {
            return Optional.empty();
        }
        if (!Files.isExecutable(Path.of(path))) {
            throw new IllegalStateException("native executable not found at " + path + " (system property native.image.path): "
                    + "run ./mvnw verify -Dnative with GRAALVM_HOME set, which builds it before the *IT tests");
        }
        return Optional.of(Path.of(path).toAbsolutePath());
    }

    /**
     * How the artifact under test is launched: the native executable, or {@code java -jar} on the packaged jar. The
     * executable takes system properties and heap sizes at run time as the JVM does; the JVM's other options (a
     * collector, diagnostics) do not exist there: its collector is chosen when it is built.
     */
    static List<String> launcher(List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        Optional<Path> executable = nativeExecutable();
        if (executable.isPresent()) {
            command.add(executable.get().toString());
            jvmOptions.stream().filter(GatewayProcess::nativeTakes).forEach(command::add);
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-jar");
            command.add(jar().toString());
        }
        return command;
    }

    private static boolean nativeTakes(String option) {
        return option.startsWith("-D") || option.startsWith("-Xmx") || option.startsWith("-Xms") || option.startsWith("-Xmn");
    }

    /** Starts the gateway in a fresh working directory under target/gateway-it. */
    public static GatewayProcess start(ProdEnv env, String... args) {
        try {
            Path root = Path.of("target", "gateway-it").toAbsolutePath();
            Files.createDirectories(root);
            return start(env, Files.createTempDirectory(root, "gateway-"), args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the gateway in a fresh working directory with these JVM options before {@code -jar} (e.g. {@code -Xmx256m}),
     * kept apart from the env and the arguments; a native executable takes the ones it has ({@link #launcher}).
     */
    public static GatewayProcess start(ProdEnv env, List<String> jvmOptions, String... args) {
        try {
            Path root = Path.of("target", "gateway-it").toAbsolutePath();
            Files.createDirectories(root);
            return start(env, Files.createTempDirectory(root, "gateway-"), jvmOptions, args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the gateway in {@code workDir} with exactly these env vars (null values are left out) on top of the
     * inherited PATH/HOME/JAVA_HOME/LANG and PORT=0, GATEWAY_MANAGEMENT_PORT=0, QUARKUS_HTTP_HOST=127.0.0.1 and
     * QUARKUS_MANAGEMENT_HOST=127.0.0.1 (which {@code env} may override).
     */
    public static GatewayProcess start(ProdEnv env, Path workDir, String... args) {
        return start(env, workDir, List.of(), args);
    }

    private static GatewayProcess start(ProdEnv env, Path workDir, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(launcher(jvmOptions));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        Map<String, String> clean = builder.environment();
        clean.clear();
        for (String name : INHERITED) {
            if (System.getenv(name) != null) {
                clean.put(name, System.getenv(name));
            }
        }
        clean.put("PORT", "0");
        clean.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        clean.put("GATEWAY_MANAGEMENT_PORT", "0");
        clean.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.asMap().forEach((name, value) -> {
            if (value != null) {
                clean.put(name, value);
            }
        });
        // Secret values are masked in failure messages (the raw output is what the tests assert on).
        String[] secrets = env.secrets().toArray(String[]::new);
        try {
            return new GatewayProcess(builder.start(), secrets);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
    }

    /** Runs the gateway to completion; kills it and fails (with its redacted output) after {@link #TIMEOUT_SECONDS}. */
    public static Result run(ProdEnv env, Path workDir, String... args) {
        try (GatewayProcess gateway = start(env, workDir, args)) {
            int exit = gateway.awaitExit(TIMEOUT_SECONDS);
            if (exit == STILL_RUNNING) {
                throw new AssertionError("The gateway did not exit within " + TIMEOUT_SECONDS + " s; output:\n" + gateway.redactedOutput());
            }
            return new Result(exit, gateway.stdout(), gateway.stderr());
        }
    }

    private Thread pump(InputStream in, StringBuffer into, String name) {
        Thread thread = new Thread(() -> {
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                char[] chunk = new char[8192];
                int n;
                while ((n = reader.read(chunk)) != -1) {
                    into.append(chunk, 0, n);
                    if (!baseUrl.isDone()) {
                        Matcher line = LISTENING_LINE.matcher(into);
                        if (line.find()) {
                            listened(line.group(1));
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            if (openStreams.decrementAndGet() == 0) {
                baseUrl.completeExceptionally(new IllegalStateException("the gateway exited before it listened"));
                managementUrl.completeExceptionally(new IllegalStateException("the gateway exited before it listened"));
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void listened(String line) {
        Matcher url = URL.matcher(line);
        Matcher management = MANAGEMENT.matcher(line);
        if (management.find()) {
            managementUrl.complete(management.group(1).replace("0.0.0.0", "127.0.0.1"));
        } else {
            managementUrl.completeExceptionally(new IllegalStateException("the gateway logged no management interface: " + line));
        }
        if (url.find()) {
            baseUrl.complete(url.group(1).replace("0.0.0.0", "127.0.0.1"));
        } else {
            baseUrl.completeExceptionally(new IllegalStateException("unexpected listening line: " + line));
        }
    }

    /** Waits until the gateway listens and returns its base URL, or throws with its redacted output. */
    public String awaitListening() {
        try {
            return baseUrl.get(LISTEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("gateway did not start listening: " + (e.getCause() != null ? e.getCause() : e)
                    + "\n--- gateway output ---\n" + redactedOutput());
        }
    }

    /** Waits until the gateway listens and returns its TLS base URL (when QUARKUS_HTTP_SSL_PORT is set), or throws. */
    public String awaitListeningTls() {
        awaitListening();
        Matcher m = LISTENING_TLS.matcher(stdout);
        if (!m.find()) {
            throw new AssertionError("the gateway does not listen with TLS:\n" + redactedOutput());
        }
        return m.group(1).replace("0.0.0.0", "127.0.0.1");
    }

    /** Waits until the gateway listens and returns the base URL of its management interface (health, metrics, API docs). */
    public String awaitManagement() {
        awaitListening();
        try {
            return managementUrl.get(LISTEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("gateway has no management interface: " + (e.getCause() != null ? e.getCause() : e)
                    + "\n--- gateway output ---\n" + redactedOutput());
        }
    }

    /** The process id, e.g. to count its open file descriptors under /proc or to signal it. */
    public long pid() {
        return process.pid();
    }

    /**
     * Sends SIGTERM (what Kubernetes and docker stop send) without waiting. Through the process handle, because
     * {@link Process#destroy()} also closes the pipes, and what the gateway logs during its drain would be lost.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** Waits for the process to end and returns its exit code (after its output is read), or {@link #STILL_RUNNING}. */
    public int awaitExit(long seconds) {
        return awaitExit(seconds, TimeUnit.SECONDS);
    }

    /** {@link #awaitExit(long)} in any unit (short waits poll a process that is expected to end). */
    public int awaitExit(long timeout, TimeUnit unit) {
        try {
            if (!process.waitFor(timeout, unit)) {
                return STILL_RUNNING;
            }
            stdoutPump.join(TimeUnit.SECONDS.toMillis(10));
            stderrPump.join(TimeUnit.SECONDS.toMillis(10));
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return STILL_RUNNING;
        }
    }

    /** {@code kill -9}: the process ends at once, without shutdown hooks (leases are not released, sockets not closed). */
    public void kill() {
        process.destroyForcibly();
        awaitExit(30);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stdout() {
        return stdout.toString();
    }

    public String stderr() {
        return stderr.toString();
    }

    /** Everything the gateway printed (stdout, then stderr), as is: tests assert that no secret is in it. */
    public String output() {
        return stdout + "\n" + stderr;
    }

    /** The output with the env's secrets and any JWT masked, for failure messages. */
    public String redactedOutput() {
        return Secrets.redact(output(), secrets);
    }

    public HttpResponse<String> get(String path, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(awaitListening() + path)).GET(), bearer);
    }

    public HttpResponse<String> delete(String path, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(awaitListening() + path)).DELETE(), bearer);
    }

    /** A GET on the management interface ({@code /q/health/ready}, {@code /q/metrics}). */
    public HttpResponse<String> management(String path) {
        return send(HttpRequest.newBuilder(URI.create(awaitManagement() + path)).GET(), null);
    }

    public HttpResponse<String> postJson(String path, String json, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(awaitListening() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), bearer);
    }

    /** A POST of {@code body} as {@code contentType}, e.g. an SDP offer to {@code /v1/realtime/calls}. */
    public HttpResponse<String> post(String path, String contentType, String body, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(awaitListening() + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)), bearer);
    }

    private static HttpResponse<String> send(HttpRequest.Builder builder, String bearer) {
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        try {
            return HTTP.send(builder.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("request to the gateway failed: " + e, e);
        }
    }

    /** Stops the gateway if it still runs (SIGTERM, then SIGKILL after 15 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
