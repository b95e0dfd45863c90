package io.realtimegateway.auth;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/** Browser-origin fixtures: a profile with GATEWAY_CORS_ORIGINS set, and a relay upgrade with a chosen Origin header. */
final class BrowserOrigins {

    static final String APP = "https://app.example.com";
    static final String LOCAL = "http://localhost:3000";
    static final String EVIL = "https://evil.example.net";

    private BrowserOrigins() {
    }

    /** GATEWAY_CORS_ORIGINS=https://app.example.com,http://localhost:3000 (auth mode none, as in every test). */
    public static class Listed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = LiveKitTestConfig.valid();
            config.put("gateway.cors.origins", APP + "," + LOCAL);
            return config;
        }
    }

    /** The same list, and GATEWAY_CORS_RELAY_ANY_ORIGIN=true. */
    public static class ListedRelayAny implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = LiveKitTestConfig.valid();
            config.put("gateway.cors.origins", APP);
            config.put("gateway.cors.relay-any-origin", "true");
            return config;
        }
    }

    /** How a relay upgrade ended: 101 and the first event's type, or the refusal's status, headers and body. */
    record Upgrade(int status, String firstEvent, String contentType, String body) {
    }

    /**
     * Opens the relay with {@code Authorization: Bearer <ticket>} and this {@code Origin} (null: none at all, as
     * server SDKs do), waits for the first event when admitted, and closes.
     */
    static Upgrade upgrade(Vertx vertx, URI relay, String ticket, String origin) {
        WebSocketClient client = vertx.createWebSocketClient();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(relay.getHost()).setPort(relay.getPort())
                .setURI(relay.getPath() + "?model=gpt-realtime").addHeader("Authorization", "Bearer " + ticket)
                .setAllowOriginHeader(origin != null); // false: Vert.x sends no Origin (and drops one set here)
        if (origin != null) {
            options.addHeader("Origin", origin);
        }
        CompletableFuture<String> first = new CompletableFuture<>();
        var ws = client.webSocket();
        ws.textMessageHandler(text -> first.complete(new JsonObject(text).getString("type")));
        ws.closeHandler(v -> first.complete("closed " + ws.closeStatusCode()));
        try {
            ws.connect(options).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            String event = first.get(20, TimeUnit.SECONDS);
            ws.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return new Upgrade(101, event, null, null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpgradeRejectedException rejected) {
                return new Upgrade(rejected.getStatus(), null, rejected.getHeaders().get("Content-Type"),
                        rejected.getBody() == null ? "" : rejected.getBody().toString());
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            client.close();
        }
    }

    static List<String> split(String header) {
        return header == null ? List.of() : List.of(header.split("\\s*,\\s*"));
    }
}
