package io.realtimegateway.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Real Chromium (Debian's /usr/bin/chromium) driven by playwright-core, through src/test/browser/driver.mjs: the
 * pages (built from the npm packages by scripts/install-browser-tier.sh) are served from two loopback origins of
 * their own, {@link #appOrigin()} and {@link #otherOrigin()}, so every call to the gateway is cross-origin. One
 * Chromium serves every case; each page gets a fresh context. Failed calls and failed cases leave a screenshot and
 * the page's console log (secrets masked) under target/browser-artifacts/CASE/.
 */
final class BrowserDriver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long INSTALL_TIMEOUT_MINUTES = 20;

    private final Process process;
    private final Writer stdin;
    private final LinkedBlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private final AtomicInteger ids = new AtomicInteger();
    private final JsonNode ready;
    private final Path artifacts;

    private BrowserDriver(Process process, Path artifacts) {
        this.process = process;
        this.artifacts = artifacts;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        CompletableFuture<JsonNode> first = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    JsonNode message = JSON.readTree(line);
                    if (message.has("ready")) {
                        first.complete(message);
                    } else {
                        answers.add(message);
                    }
                }
            } catch (IOException e) {
                // the driver ended
            }
            first.completeExceptionally(new IllegalStateException("the browser driver exited before it was ready"));
        }, "browser-driver-stdout");
        reader.setDaemon(true);
        reader.start();
        Thread errors = new Thread(() -> stderr.append(E2e.readAll(process.getErrorStream())), "browser-driver-stderr");
        errors.setDaemon(true);
        errors.start();
        try {
            this.ready = first.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium did not start through playwright-core: " + e.getCause() + "\n" + stderr, e);
        }
    }

    /** Installs Chromium and the npm packages when missing, builds the pages, and starts the driver (and Chromium). */
    static BrowserDriver start() {
        Path out = E2e.basedir().resolve("target/browser-tier");
        String dir = E2e.runScript(List.of("install-browser-tier.sh", out.toString()), Map.of(), INSTALL_TIMEOUT_MINUTES).strip();
        Path artifacts = E2e.basedir().resolve("target/browser-artifacts");
        ProcessBuilder builder = new ProcessBuilder("node", "driver.mjs").directory(Path.of(dir).toFile());
        builder.environment().put("BROWSER_DIST", Path.of(dir, "dist").toString());
        builder.environment().put("ARTIFACTS_DIR", artifacts.toString());
        try {
            return new BrowserDriver(builder.start(), artifacts);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start node (MISSING TOOL: node): " + e.getMessage(), e);
        }
    }

    /** The origin the test lists in GATEWAY_CORS_ORIGINS. */
    String appOrigin() {
        return ready.path("origins").path("app").asText();
    }

    /** Another origin (another port), never listed. */
    String otherOrigin() {
        return ready.path("origins").path("other").asText();
    }

    String chromiumVersion() {
        return ready.path("chromium").asText();
    }

    /** Values the driver masks in what it saves and answers (keys, tickets). */
    void secrets(String... values) {
        send(Map.of("op", "secrets", "values", List.of(values)), 10);
    }

    /** A fresh browser context and page on {@code origin} ({@link #appOrigin()} or {@link #otherOrigin()}) with pages/ENTRY.js. */
    void open(String page, String origin, String entry, String caseName) {
        String which = origin.equals(appOrigin()) ? "app" : origin.equals(otherOrigin()) ? "other" : null;
        if (which == null) {
            throw new IllegalArgumentException("not a driver origin: " + origin);
        }
        send(Map.of("op", "open", "page", page, "origin", which, "entry", entry, "name", caseName), 60);
    }

    /** Calls {@code window[fn](args)} in the page; the result, or an {@link AssertionError} with the page's error. */
    JsonNode call(String page, String fn, Map<String, Object> args, int timeoutSeconds) {
        JsonNode answer = answer(Map.of("op", "call", "page", page, "fn", fn, "args", args), timeoutSeconds);
        if (!answer.path("ok").asBoolean()) {
            throw new AssertionError("page " + page + ": " + fn + " failed: " + answer.path("error").asText()
                    + "\n(screenshot and console log under " + artifacts + ")");
        }
        return answer.path("value");
    }

    /** The error message a page's {@code fn} ended with (the call is expected to fail). */
    String callFails(String page, String fn, Map<String, Object> args, int timeoutSeconds) {
        JsonNode answer = answer(Map.of("op", "call", "page", page, "fn", fn, "args", args), timeoutSeconds);
        if (answer.path("ok").asBoolean()) {
            throw new AssertionError("page " + page + ": " + fn + " was expected to fail but returned " + answer.path("value"));
        }
        return answer.path("error").asText();
    }

    /** A fresh browser context and page on any URL (the gateway's own pages), answering an HTTP Basic challenge with these credentials. */
    JsonNode visit(String page, String url, String user, String password, String caseName) {
        return send(Map.of("op", "visit", "page", page, "url", url, "name", caseName,
                "credentials", Map.of("username", user, "password", password)), 60);
    }

    /** The value of a JavaScript expression in the page (awaited when it is a promise). */
    JsonNode evaluate(String page, String expression, int timeoutSeconds) {
        return send(Map.of("op", "evaluate", "page", page, "expression", expression), timeoutSeconds);
    }

    /** Presses a key (e.g. {@code Tab}) and describes what has the focus then: its id, {@code feature:NAME} for a summary, a link's href; null for none. */
    String press(String page, String key) {
        JsonNode focused = send(Map.of("op", "press", "page", page, "key", key), 10);
        return focused.isNull() ? null : focused.asText();
    }

    /** A full-page screenshot at {@code path}. */
    void screenshot(String page, Path path) {
        send(Map.of("op", "screenshot", "page", page, "path", path.toAbsolutePath().toString()), 30);
    }

    /** The page's console so far (including Chromium's own CORS and WebSocket messages). */
    List<String> console(String page) {
        return JSON.convertValue(send(Map.of("op", "console", "page", page), 10), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    /** Saves a screenshot and the console log of each page under target/browser-artifacts/CASE/. */
    void saveArtifacts(String caseName, String... pages) {
        for (String page : pages) {
            try {
                answer(Map.of("op", "save", "page", page, "name", caseName), 30);
            } catch (RuntimeException | AssertionError e) {
                System.err.println("could not save the artifacts of page " + page + ": " + e.getMessage());
            }
        }
    }

    void close(String page) {
        send(Map.of("op", "close", "page", page), 30);
    }

    /** Runs one case; when it fails, its pages' screenshots and console logs are saved first. */
    void runCase(String caseName, List<String> pages, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException | AssertionError e) {
            saveArtifacts(caseName, pages.toArray(String[]::new));
            throw e;
        } finally {
            for (String page : pages) {
                try {
                    close(page);
                } catch (RuntimeException | AssertionError e) {
                    // a page that never opened
                }
            }
        }
    }

    private JsonNode send(Map<String, Object> command, int timeoutSeconds) {
        JsonNode answer = answer(command, timeoutSeconds);
        if (!answer.path("ok").asBoolean()) {
            throw new IllegalStateException("browser driver: " + command.get("op") + " failed: " + answer.path("error").asText());
        }
        return answer.path("value");
    }

    private synchronized JsonNode answer(Map<String, Object> command, int timeoutSeconds) {
        int id = ids.incrementAndGet();
        Map<String, Object> message = new LinkedHashMap<>(command);
        message.put("id", id);
        try {
            stdin.write(JSON.writeValueAsString(message) + "\n");
            stdin.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (System.nanoTime() < deadline) {
                JsonNode answer = answers.poll(200, TimeUnit.MILLISECONDS);
                if (answer != null && answer.path("id").asInt() == id) {
                    return answer;
                }
                if (answer == null && !process.isAlive()) {
                    throw new IllegalStateException("the browser driver exited (" + process.exitValue() + "): " + stderr);
                }
            }
            throw new AssertionError("the browser driver did not answer " + command.get("op") + " within " + timeoutSeconds + " s");
        } catch (IOException e) {
            throw new UncheckedIOException("browser driver unreachable: " + stderr, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                answer(Map.of("op", "quit"), 20);
            }
        } catch (RuntimeException | AssertionError e) {
            // killed below
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.createDirectories(artifacts);
        } catch (IOException e) {
            // only for the hint in failure messages
        }
    }
}
