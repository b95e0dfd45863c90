package io.realtimegateway.testing;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;

/**
 * OpenAI's side of a WebRTC call as a real peer: src/test/node/webrtc-peer.mjs (werift, a pure-JS WebRTC stack,
 * installed with the Node SDK client by scripts/install-sdk-clients.sh, so a missing node or npm fails with the
 * installer's message). {@link FakeOpenAiUpstream.Control#usePeer} makes the fake answer calls with it: the browser's
 * data channel opens and carries {@code session.created}.
 */
public final class WebRtcPeer implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final String url;

    private WebRtcPeer(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Installs the Node fixtures when needed, starts the peer on 127.0.0.1 (a free port) and waits until it serves. */
    public static WebRtcPeer start() {
        Path dir = SdkClients.install("node").resolve("node");
        Process process;
        try {
            process = new ProcessBuilder("node", dir.resolve("webrtc-peer.mjs").toString()).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("Could not start node for the WebRTC peer (" + e.getMessage() + "); is Node.js installed?", e);
        }
        StringBuffer output = new StringBuffer();
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.append(line).append('\n');
                    if (line.startsWith("LISTENING ")) {
                        listening.complete("http://127.0.0.1:" + line.substring("LISTENING ".length()).trim());
                    }
                }
            } catch (IOException e) {
                // the peer ended
            }
            listening.completeExceptionally(new IllegalStateException("the WebRTC peer exited before it listened"));
        }, "webrtc-peer-output");
        pump.setDaemon(true);
        pump.start();
        try {
            return new WebRtcPeer(process, listening.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError("The WebRTC peer (node webrtc-peer.mjs) did not start: " + e.getMessage() + "\n" + output, e);
        }
    }

    /** Where the fake posts offers ({@code POST /answer}). */
    public String url() {
        return url;
    }

    /** Per call id: {@code {opened, received:[event types the browser sent], state}}. */
    public JsonObject calls() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/calls")).timeout(Duration.ofSeconds(10)).GET().build();
            return new JsonObject(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
        } catch (Exception e) {
            throw new IllegalStateException("the WebRTC peer did not report its calls: " + e, e);
        }
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
}
