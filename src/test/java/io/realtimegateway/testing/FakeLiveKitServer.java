package io.realtimegateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.realtimegateway.livekit.TokenAssertions;

/**
 * Answers {@code /twirp/livekit.RoomService/ListRooms} like livekit-server v1.13.5:
 * verifies the HS256 signature against its keys, with 60 s leeway, and echoes the whole token in its 401 bodies
 * exactly like v1.13.5 does, so that tests can prove the gateway never repeats them. Like livekit-server behind a
 * WebSocket-aware proxy, it drops the connection of a request carrying an {@code Upgrade} header (the JDK client's
 * {@code Upgrade: h2c} on {@code http://}) without an answer; {@link #droppedUpgrades()} counts them.
 */
public final class FakeLiveKitServer implements AutoCloseable {

    private static final long LEEWAY_SECONDS = 60;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, String> keys;
    private final long clockOffsetSeconds;
    private final List<String> receivedTokens = new CopyOnWriteArrayList<>();
    private final AtomicInteger droppedUpgrades = new AtomicInteger();

    /** @param clockOffsetSeconds how far this server's clock is ahead of the gateway's (to simulate skew) */
    public FakeLiveKitServer(Map<String, String> keys, long clockOffsetSeconds) throws IOException {
        this.keys = Map.copyOf(keys);
        this.clockOffsetSeconds = clockOffsetSeconds;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/twirp/livekit.RoomService/ListRooms", exchange -> {
            if (!dropUpgrade(exchange)) {
                listRooms(exchange);
            }
        });
        server.createContext("/", exchange -> {
            if (!dropUpgrade(exchange)) {
                respond(exchange, 404, "text/plain", "404 page not found");
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    public FakeLiveKitServer(Map<String, String> keys) throws IOException {
        this(keys, 0);
    }

    /** {@code ws://127.0.0.1:<port>}, i.e. what LIVEKIT_URL would be. */
    public String wsUrl() {
        return "ws://127.0.0.1:" + server.getAddress().getPort();
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests whose connection was dropped for an {@code Upgrade} header. */
    public int droppedUpgrades() {
        return droppedUpgrades.get();
    }

    /** Drops the connection of a request with an {@code Upgrade} header: no status line, no body. */
    private boolean dropUpgrade(HttpExchange exchange) {
        if (!exchange.getRequestHeaders().containsKey("Upgrade")) {
            return false;
        }
        droppedUpgrades.incrementAndGet();
        exchange.close(); // before any response: the JDK server then closes the connection itself
        return true;
    }

    /** Every bearer token the server received (so that tests can look for them in output). */
    public List<String> receivedTokens() {
        return List.copyOf(receivedTokens);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void listRooms(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (!"POST".equals(exchange.getRequestMethod()) || contentType == null || !contentType.startsWith("application/json")) {
            respond(exchange, 404, "application/json", "{\"code\":\"bad_route\",\"msg\":\"unexpected Content-Type: \\\"" + contentType + "\\\"\"}");
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            respond(exchange, 401, "application/json", "{\"code\":\"unauthenticated\",\"msg\":\"permissions denied\"}");
            return;
        }
        if (!authorization.startsWith("Bearer ")) {
            respond(exchange, 401, "text/plain", "invalid authorization header. Must start with Bearer ");
            return;
        }
        String token = authorization.substring("Bearer ".length());
        receivedTokens.add(token);
        String[] parts = token.split("\\.");
        JsonNode claims;
        try {
            claims = TokenAssertions.decode(parts[1]);
        } catch (RuntimeException | AssertionError e) {
            respond(exchange, 401, "text/plain", "invalid authorization token");
            return;
        }
        String apiKey = claims.path("iss").asText();
        String secret = keys.get(apiKey);
        if (secret == null) {
            respond(exchange, 401, "text/plain", "invalid API key: " + apiKey);
            return;
        }
        if (!TokenAssertions.signatureMatches(token, secret)) {
            respond(exchange, 401, "text/plain", "invalid token: " + token + ", error: token signature is invalid: signature is invalid");
            return;
        }
        long now = Instant.now().getEpochSecond() + clockOffsetSeconds;
        if (claims.has("exp") && now > claims.get("exp").asLong() + LEEWAY_SECONDS) {
            respond(exchange, 401, "text/plain", "invalid token: " + token + ", error: token has invalid claims: token is expired");
            return;
        }
        if (claims.has("nbf") && now < claims.get("nbf").asLong() - LEEWAY_SECONDS) {
            respond(exchange, 401, "text/plain", "invalid token: " + token + ", error: token has invalid claims: token is not valid yet");
            return;
        }
        if (!claims.path("video").path("roomList").asBoolean(false)) {
            respond(exchange, 401, "application/json", "{\"code\":\"unauthenticated\",\"msg\":\"permissions denied\"}");
            return;
        }
        respond(exchange, 200, "application/json", "{\"rooms\":[]}");
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
