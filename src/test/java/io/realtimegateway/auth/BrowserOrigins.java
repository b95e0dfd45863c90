package io.realtimegateway.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.realtimegateway.testing.ClientSockets;
import io.realtimegateway.testing.LiveKitTestConfig;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
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

    /** A browser's SDP offer for {@code POST /v1/realtime/calls}, cut to its data channel. */
    static final String OFFER = String.join("\r\n", "v=0", "o=- 7914315417355271937 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0", "a=ice-ufrag:Yf3b", "a=ice-pwd:0c2yJ2Z1ufbNyGOTXaWm0bSr",
            "a=fingerprint:sha-256 1D:0A:69:54:6B:5B:B6:4C:7D:21:9C:5E:2B:9F:C4:35:61:2C:6E:3A:81:1F:DF:5E:5C:33:64:32:67:0F:56:0E",
            "a=setup:actpass", "a=mid:0", "a=sctp-port:5000", "");

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

    /** The SDP exchange as a page on {@code origin} posts it (null: no Origin, as servers do). */
    static Response postOffer(String ticket, String origin) {
        RequestSpecification request = RestAssured.given()
                .header("Authorization", "Bearer " + ticket).contentType("application/sdp").body(OFFER.getBytes(StandardCharsets.UTF_8));
        if (origin != null) {
            request = request.header("Origin", origin);
        }
        return request.post("/v1/realtime/calls");
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
            ClientSockets.connect(vertx, ws, options).get(20, TimeUnit.SECONDS);
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
