package io.realtimegateway.openai;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.realtimegateway.preflight.OutboundHttp;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Proves Realtime access for a key that may not read models: opens the upstream WebSocket exactly as the relay
 * does, waits for {@code session.created} and closes 1000 without sending anything, so nothing is billed.
 * A bad key gets an {@code error} event and close 3000 instead. One Vert.x WebSocket client, created once.
 * Blocking: the check runs on the boot thread or a worker.
 */
@Singleton
final class OpenAiRealtimeProbe {

    private final WebSocketClient client;
    private final ObjectMapper mapper;

    OpenAiRealtimeProbe(Vertx vertx, ObjectMapper mapper) {
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions());
        this.mapper = mapper;
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** @throws IOException when the WebSocket could not be opened or nothing arrived in time */
    Outcome probe(URI uri, Map<String, String> headers, Duration timeout) throws IOException, InterruptedException {
        boolean tls = "wss".equals(uri.getScheme());
        long millis = Math.max(1, timeout.toMillis());
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(uri.getHost())
                .setPort(uri.getPort() > 0 ? uri.getPort() : (tls ? 443 : 80)).setSsl(tls)
                .setURI(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                .setConnectTimeout(millis).setTimeout(millis);
        headers.forEach(options::addHeader);
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        ClientWebSocket socket = client.webSocket();
        Listener listener = new Listener(outcome);
        // Handlers before connecting: session.created may arrive right behind the 101.
        socket.textMessageHandler(listener::onText);
        socket.closeHandler(v -> outcome.complete(new Outcome(false, closeCode(socket), safe(socket.closeReason()), listener.errorCode, 0)));
        socket.exceptionHandler(outcome::completeExceptionally);
        try {
            OutboundHttp.await(socket.connect(options).toCompletionStage(), timeout.plusSeconds(1));
        } catch (IOException e) {
            if (e.getCause() instanceof UpgradeRejectedException refused) {
                // OpenAI answered, but with an HTTP status instead of an upgrade (403: no Realtime access).
                return new Outcome(false, 0, null, null, refused.getStatus());
            }
            throw e;
        }
        try {
            return outcome.get(millis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("Realtime WebSocket failed: " + e.getCause().getClass().getSimpleName(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no session.created within " + timeout.toSeconds() + " s", e);
        } finally {
            if (!socket.isClosed()) {
                socket.close((short) 1000, "preflight done");
            }
        }
    }

    /**
     * What the probe saw: {@code session.created}, or a close code with OpenAI's
     * {@code <type>.<code>} reason and the error event's code, or the HTTP status that refused the upgrade (0 when
     * it upgraded). Never an error message.
     */
    record Outcome(boolean sessionCreated, int closeCode, String closeReason, String errorCode, int handshakeStatus) {

        boolean invalidKey() {
            return "invalid_api_key".equals(errorCode) || (closeReason != null && closeReason.endsWith(".invalid_api_key"));
        }
    }

    /** The received close code: 1005 for a close frame without one, 1006 for none at all. */
    private static int closeCode(ClientWebSocket socket) {
        Short status = socket.closeStatusCode();
        return status != null ? status : socket.closeReason() != null ? 1005 : 1006;
    }

    private final class Listener {

        private final CompletableFuture<Outcome> outcome;
        private volatile String errorCode;

        Listener(CompletableFuture<Outcome> outcome) {
            this.outcome = outcome;
        }

        void onText(String json) {
            try {
                JsonNode event = mapper.readTree(json);
                String type = event.path("type").asText();
                if ("session.created".equals(type)) {
                    outcome.complete(new Outcome(true, 0, null, null, 0));
                } else if ("error".equals(type)) {
                    errorCode = safe(event.path("error").path("code").asText(null));
                }
            } catch (IOException e) {
                // Not an event; the close that follows tells the story.
            }
        }
    }

    /** OpenAI's close reasons and codes are identifiers ({@code invalid_request_error.invalid_api_key}); drop anything else. */
    static String safe(String value) {
        return value != null && value.matches("[A-Za-z0-9_.\\-]{1,123}") ? value : null;
    }
}
