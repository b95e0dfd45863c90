package io.realtimegateway.e2e;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.realtimegateway.testing.Secrets;

/**
 * The test's own, independent view of a LiveKit server: tokens minted here with plain javax.crypto HS256
 * (not the gateway's signer), /rtc/validate, the /rtc WebSocket and Twirp RoomService calls.
 */
final class LiveKitApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String httpUrl;
    private final String wsUrl;
    private final String apiKey;
    private final String secret;

    LiveKitApi(String httpUrl, String wsUrl, String apiKey, String secret) {
        this.httpUrl = httpUrl;
        this.wsUrl = wsUrl;
        this.apiKey = apiKey;
        this.secret = secret;
    }

    /** An HS256 LiveKit token: iss = this key, nbf/exp around {@code now}, plus the given claims. */
    String mint(Map<String, Object> claims, Instant nbf, Instant exp) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("iss", apiKey);
        payload.put("nbf", nbf.getEpochSecond());
        payload.put("exp", exp.getEpochSecond());
        payload.putAll(claims);
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String signingInput = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                    + "." + b64.encodeToString(JSON.writeValueAsBytes(payload));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signingInput + "." + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot mint a test token", e);
        }
    }

    /** A join token for {@code room} valid for ten minutes. */
    String joinToken(String identity, String room) {
        Instant now = Instant.now();
        return mint(Map.of("sub", identity, "video", Map.of("roomJoin", true, "room", room)), now.minusSeconds(5), now.plusSeconds(600));
    }

    /** GET /rtc/validate?access_token=... : LiveKit's side-effect-free check of a join token. */
    HttpResponse<String> validate(String token) {
        return get("/rtc/validate?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    /** The identities Twirp ListParticipants reports for {@code room} (admin token for that room, minted here). */
    List<String> participants(String room) {
        Instant now = Instant.now();
        String admin = mint(Map.of("video", Map.of("roomAdmin", true, "room", room)), now.minusSeconds(5), now.plusSeconds(60));
        HttpResponse<String> response = twirp("ListParticipants", admin, Map.of("room", room));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("ListParticipants(" + room + ") answered " + response.statusCode() + ": "
                    + Secrets.redact(response.body(), secret, admin));
        }
        List<String> identities = new ArrayList<>();
        try {
            for (JsonNode participant : JSON.readTree(response.body()).path("participants")) {
                identities.add(participant.path("identity").asText());
            }
        } catch (Exception e) {
            throw new IllegalStateException("unexpected ListParticipants body", e);
        }
        return identities;
    }

    /** Twirp ListParticipants for {@code room}: each identity with the sources of its published tracks (e.g. MICROPHONE). */
    Map<String, List<String>> publishedSources(String room) {
        Instant now = Instant.now();
        String admin = mint(Map.of("video", Map.of("roomAdmin", true, "room", room)), now.minusSeconds(5), now.plusSeconds(60));
        HttpResponse<String> response = twirp("ListParticipants", admin, Map.of("room", room));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("ListParticipants(" + room + ") answered " + response.statusCode() + ": "
                    + Secrets.redact(response.body(), secret, admin));
        }
        Map<String, List<String>> sources = new LinkedHashMap<>();
        try {
            for (JsonNode participant : JSON.readTree(response.body()).path("participants")) {
                List<String> tracks = new ArrayList<>();
                participant.path("tracks").forEach(track -> tracks.add(track.path("source").asText("UNKNOWN")));
                sources.put(participant.path("identity").asText(), tracks);
            }
        } catch (Exception e) {
            throw new IllegalStateException("unexpected ListParticipants body", e);
        }
        return sources;
    }

    /** POST /twirp/livekit.RoomService/METHOD with a bearer token and a JSON body. */
    HttpResponse<String> twirp(String method, String bearer, Map<String, Object> body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(httpUrl + "/twirp/livekit.RoomService/" + method))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + bearer)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("Twirp " + method + " failed: " + e.getMessage(), e);
        }
    }

    HttpResponse<String> get(String pathAndQuery) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(httpUrl + pathAndQuery)).timeout(Duration.ofSeconds(10)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Opens ws(s)://.../rtc?access_token=... (the v0 signalling path). The server admits the participant
     * before the upgrade, then sends a binary SignalResponse{join: JoinResponse} as its first frame.
     */
    SignalJoin join(String token) {
        FirstFrame listener = new FirstFrame();
        URI uri = URI.create(wsUrl + "/rtc?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&auto_subscribe=false");
        try {
            WebSocket socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, listener).get(15, TimeUnit.SECONDS);
            byte[] frame = listener.first.get(15, TimeUnit.SECONDS);
            return new SignalJoin(0, frame, socket);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                Object body = refused.getResponse().body();
                return new SignalJoin(refused.getResponse().statusCode(), body == null ? new byte[0] : body.toString().getBytes(StandardCharsets.UTF_8), null);
            }
            throw new IllegalStateException("WebSocket join failed: " + e.getCause(), e);
        } catch (Exception e) {
            throw new IllegalStateException("WebSocket join failed: " + e, e);
        }
    }

    /**
     * The outcome of a /rtc join: {@code refusedStatus} 0 and the first binary frame when admitted, else the
     * HTTP status of the refused upgrade.
     */
    record SignalJoin(int refusedStatus, byte[] firstFrame, WebSocket socket) implements AutoCloseable {

        boolean admitted() {
            return refusedStatus == 0;
        }

        /** SignalResponse.join is field 1 (length-delimited): its tag byte is 0x0A. */
        boolean firstFrameIsJoinResponse() {
            return firstFrame.length > 2 && firstFrame[0] == 0x0A;
        }

        /** The frame as Latin-1 text, to look for the room name and identity inside the protobuf. */
        String firstFrameText() {
            return new String(firstFrame, StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() {
            if (socket != null) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "test done").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
                socket.abort();
            }
        }
    }

    /** Collects the first complete binary message. */
    private static final class FirstFrame implements WebSocket.Listener {
        final CompletableFuture<byte[]> first = new CompletableFuture<>();
        private final java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            buffer.writeBytes(chunk);
            if (last) {
                first.complete(buffer.toByteArray());
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            first.completeExceptionally(new IllegalStateException("closed before the first binary frame: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            first.completeExceptionally(error);
        }
    }
}
