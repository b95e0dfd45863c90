package io.realtimegateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A real OTLP/HTTP trace receiver in its own process (src/test/go/otlp-receiver, built from the official OTLP protobuf
 * module by scripts/install-otlp-receiver.sh, cached): what the gateway exports, decoded by OpenTelemetry's own types.
 * Each export request is a line of {@link #raw()}; {@link #spans()} flattens them.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One exported span: ids in hex, attributes as text (OTLP's int64 values arrive as decimal strings). */
    public record Span(String name, String traceId, String spanId, String parentSpanId, String kind, String statusCode, Map<String, String> attributes) {
    }

    private final Process process;
    private final Path out;
    private final String endpoint;

    private OtlpReceiver(Process process, Path out, String endpoint) {
        this.process = process;
        this.out = out;
        this.endpoint = endpoint;
    }

    /** Installs (or reuses) the receiver and starts it on a free loopback port, writing under target/otlp-receiver. */
    public static OtlpReceiver start() {
        String binary = install();
        try {
            Path dir = Path.of(System.getProperty("e2e.basedir", System.getProperty("user.dir")), "target", "otlp-receiver");
            Files.createDirectories(dir);
            Path out = Files.createTempFile(dir, "spans-", ".jsonl");
            Process process = new ProcessBuilder(binary, "-listen", "127.0.0.1:0", "-out", out.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = stdout.readLine();
            if (line == null || !line.startsWith("listening on ")) {
                process.destroyForcibly();
                throw new IllegalStateException("the OTLP receiver did not start: " + line);
            }
            return new OtlpReceiver(process, out, line.substring("listening on ".length()).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT}: OTEL_EXPORTER_OTLP_ENDPOINT with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf. */
    public String endpoint() {
        return endpoint;
    }

    /** Every export request so far, as the receiver wrote it (protojson, one per line). */
    public String raw() {
        try {
            return Files.exists(out) ? Files.readString(out) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every span exported so far, in arrival order. */
    public List<Span> spans() {
        List<Span> spans = new ArrayList<>();
        for (String line : raw().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            for (Object rs : array(new JsonObject(line), "resourceSpans")) {
                for (Object ss : array((JsonObject) rs, "scopeSpans")) {
                    for (Object s : array((JsonObject) ss, "spans")) {
                        spans.add(span((JsonObject) s));
                    }
                }
            }
        }
        return spans;
    }

    private static Span span(JsonObject s) {
        Map<String, String> attributes = new HashMap<>();
        for (Object a : array(s, "attributes")) {
            JsonObject attribute = (JsonObject) a;
            JsonObject value = attribute.getJsonObject("value", new JsonObject());
            String text = value.fieldNames().stream().findFirst().map(k -> String.valueOf(value.getValue(k))).orElse("");
            attributes.put(attribute.getString("key"), text);
        }
        JsonObject status = s.getJsonObject("status", new JsonObject());
        return new Span(s.getString("name"), hex(s.getString("traceId")), hex(s.getString("spanId")), hex(s.getString("parentSpanId")),
                s.getString("kind", ""), status.getString("code", "STATUS_CODE_UNSET"), attributes);
    }

    /** protojson writes bytes as base64; OTLP's ids are read in hex everywhere else. */
    private static String hex(String base64) {
        return base64 == null || base64.isEmpty() ? "" : HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
    }

    private static JsonArray array(JsonObject object, String key) {
        JsonArray array = object.getJsonArray(key);
        return array == null ? new JsonArray() : array;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static String install() {
        Path script = Path.of(System.getProperty("e2e.basedir", System.getProperty("user.dir")), "scripts", "install-otlp-receiver.sh");
        try {
            Process process = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("scripts/install-otlp-receiver.sh failed (exit " + (process.isAlive() ? "timeout" : process.exitValue())
                        + "): MISSING TOOL go (to build the OTLP receiver); see its message above");
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run bash for scripts/install-otlp-receiver.sh (MISSING TOOL: bash?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
