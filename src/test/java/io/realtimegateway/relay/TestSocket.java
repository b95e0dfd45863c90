package io.realtimegateway.relay;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.realtimegateway.testing.ClientSockets;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/** A raw Vert.x WebSocket client for relay tests: records every frame and the close. Opened through {@link RelaySocketTestBase}. */
final class TestSocket {

    static final Duration WAIT = Duration.ofSeconds(30);

    final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    final BlockingQueue<Buffer> binaries = new LinkedBlockingQueue<>();
    volatile Integer closeCode;
    volatile String closeReason;
    volatile boolean closed;
    /** {@link System#nanoTime()} when the close arrived, for "closes within" bounds. */
    volatile long closedAtNanos;
    WebSocket ws;
    /** The socket's own client; tests that open many sockets close it when done. */
    WebSocketClient client;

    static TestSocket connect(Vertx vertx, URI relay, String query, Map<String, String> headers, List<String> subprotocols) {
        return connect(vertx, relay, query, headers, subprotocols, true);
    }

    /**
     * As above; {@code originHeader} false sends no {@code Origin} at all, as a backend's client (aiohttp, ws, the
     * OpenAI SDKs) does, where Vert.x by default sends one like a browser.
     */
    static TestSocket connect(Vertx vertx, URI relay, String query, Map<String, String> headers, List<String> subprotocols, boolean originHeader) {
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(64 * 1024 * 1024).setMaxMessageSize(64 * 1024 * 1024));
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(relay.getHost()).setPort(relay.getPort())
                .setURI(relay.getPath() + (query == null ? "" : "?" + query)).setAllowOriginHeader(originHeader);
        headers.forEach(options::addHeader);
        subprotocols.forEach(options::addSubProtocol);
        TestSocket socket = new TestSocket();
        socket.client = client;
        // Handlers go on before connecting: frames right behind the 101 would otherwise race the connect callback.
        ClientWebSocket ws = client.webSocket();
        ws.textMessageHandler(text -> socket.events.add(new JsonObject(text)));
        ws.binaryMessageHandler(socket.binaries::add);
        ws.closeHandler(v -> {
            socket.closeCode = ws.closeStatusCode() == null ? null : (int) ws.closeStatusCode();
            socket.closeReason = ws.closeReason();
            socket.closedAtNanos = System.nanoTime();
            socket.closed = true;
        });
        socket.ws = ws;
        try {
            ClientSockets.connect(vertx, ws, options).get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpgradeRejectedException rejected) {
                throw rejected;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return socket;
    }

    /** The next event of that type, skipping others. */
    JsonObject awaitEvent(String type) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonObject event = events.poll(100, TimeUnit.MILLISECONDS);
                if (event != null && type.equals(event.getString("type"))) {
                    return event;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no " + type + " event; closed=" + closed + " code=" + closeCode + " reason=" + closeReason);
    }

    void send(JsonObject event) {
        ws.writeTextMessage(event.encode());
    }

    void awaitClosed() {
        await().atMost(WAIT).until(() -> closed);
    }

    void close() {
        if (!ws.isClosed()) {
            ws.close();
        }
    }
}
