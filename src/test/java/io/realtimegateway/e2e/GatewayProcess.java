package io.realtimegateway.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged gateway ({@code java -jar gateway.jar}) in prod mode, with a clean environment: only PATH,
 * HOME and JAVA_HOME are inherited, everything else is what the test passes. This is how an operator runs
 * it, so every env-name mapping (LIVEKIT_*, GATEWAY_*) is exercised for real.
 */
final class GatewayProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Listening on: (http://[^\\s,]+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final String[] secrets;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<String> baseUrl = new CompletableFuture<>();

    private GatewayProcess(Process process, String[] secrets) {
        this.process = process;
        this.secrets = secrets;
        Thread reader = new Thread(this::pump, "gateway-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the gateway with exactly these env vars (plus PATH/HOME/JAVA_HOME, an ephemeral port and loopback). */
    static GatewayProcess start(Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(E2e.gatewayJar().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(E2e.workDir("gateway").toFile());
        Map<String, String> clean = builder.environment();
        Map<String, String> keep = new LinkedHashMap<>();
        for (String name : List.of("PATH", "HOME", "JAVA_HOME", "LANG")) {
            if (System.getenv(name) != null) {
                keep.put(name, System.getenv(name));
            }
        }
        clean.clear();
        clean.putAll(keep);
        clean.put("PORT", "0");
        clean.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        clean.putAll(env);
        try {
            // Secret values are masked in failure messages (the raw output is what the tests assert on).
            // LIVEKIT_API_KEY is a public key id and stays visible: the reports name it on purpose.
            String[] secrets = env.entrySet().stream()
                    .filter(e -> e.getKey().contains("SECRET") || e.getKey().endsWith("KEYS") || e.getKey().equals("OPENAI_API_KEY"))
                    .map(Map.Entry::getValue).toArray(String[]::new);
            return new GatewayProcess(builder.start(), secrets);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.append(line).append('\n');
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    baseUrl.complete(m.group(1).replace("0.0.0.0", "127.0.0.1"));
                }
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            baseUrl.completeExceptionally(new IllegalStateException("the gateway exited before it listened"));
        }
    }

    /** Waits until the gateway listens and returns its base URL, or throws with its redacted output. */
    String awaitListening() {
        try {
            return baseUrl.get(180, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("gateway did not start listening: " + e.getCause() + "\n--- gateway output ---\n" + redactedOutput());
        }
    }

    /** Waits for the process to end (a refused boot) and returns its exit code, or -1 if it is still running. */
    int awaitExit(long seconds) {
        try {
            if (process.waitFor(seconds, TimeUnit.SECONDS)) {
                // let the reader drain the last lines
                Thread.sleep(200);
                return process.exitValue();
            }
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Everything the gateway printed, as is (tests assert that no secret is in it). */
    String output() {
        return output.toString();
    }

    /** The output with the env's secrets and any JWT masked, for failure messages. */
    String redactedOutput() {
        return E2e.redact(output.toString(), secrets);
    }

    HttpResponse<String> get(String path, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(awaitListening() + path)).GET(), bearer);
    }

    HttpResponse<String> postJson(String path, String json, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(awaitListening() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), bearer);
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

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
