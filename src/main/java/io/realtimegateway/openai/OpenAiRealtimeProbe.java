package io.realtimegateway.openai;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Proves Realtime access for a key that may not read models: opens the upstream WebSocket exactly as the relay
 * does, waits for {@code session.created} and closes 1000 without sending anything, so nothing is billed.
 * A bad key gets an {@code error} event and close 3000 instead.
 */
final class OpenAiRealtimeProbe {

    private final Duration timeout;
    private final ObjectMapper mapper;

    OpenAiRealtimeProbe(Duration timeout, ObjectMapper mapper) {
        this.timeout = timeout;
        this.mapper = mapper;
    }

    /** @throws IOException when the WebSocket could not be opened or nothing arrived in time */
    Outcome probe(URI uri, Map<String, String> headers) throws IOException, InterruptedException {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        WebSocket.Builder builder = HttpClient.newBuilder().connectTimeout(timeout).build()
                .newWebSocketBuilder().connectTimeout(timeout);
        headers.forEach(builder::header);
        WebSocket socket;
        try {
            socket = builder.buildAsync(uri, new Listener(outcome)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                // OpenAI answered, but with an HTTP status instead of an upgrade (403: no Realtime access).
                return new Outcome(false, 0, null, null, refused.getResponse().statusCode());
            }
            throw new IOException("Realtime WebSocket handshake failed: " + e.getCause().getClass().getSimpleName(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("Realtime WebSocket handshake timed out", e);
        }
        try {
            return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("Realtime WebSocket failed: " + e.getCause().getClass().getSimpleName(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no session.created within " + timeout.toSeconds() + " s", e);
        } finally {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "preflight done");
            }
            socket.abort();
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

    private final class Listener implements WebSocket.Listener {

        private final CompletableFuture<Outcome> outcome;
        private final StringBuilder text = new StringBuilder();
        private String errorCode;

        Listener(CompletableFuture<Outcome> outcome) {
            this.outcome = outcome;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                onEvent(text.toString());
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }

        private void onEvent(String json) {
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

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            outcome.complete(new Outcome(false, statusCode, safe(reason), errorCode, 0));
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            outcome.completeExceptionally(error);
        }
    }

    /** OpenAI's close reasons and codes are identifiers ({@code invalid_request_error.invalid_api_key}); drop anything else. */
    static String safe(String value) {
        return value != null && value.matches("[A-Za-z0-9_.\\-]{1,123}") ? value : null;
    }
}
