package io.realtimegateway.livekit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import io.realtimegateway.credentials.Urls;

/**
 * A minimal client for LiveKit's server API (Twirp over HTTP+JSON), e.g.
 * {@code POST {api}/twirp/livekit.RoomService/ListRooms}.
 * Responses may echo the bearer token (livekit-server v1.13.5 does on 401): never log a body verbatim.
 */
final class LiveKitTwirpClient {

    private final HttpClient http;
    private final Duration timeout;

    LiveKitTwirpClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** One HTTP answer; {@link #toString()} leaves the body out on purpose. */
    record Answer(int status, String contentType, String body) {

        boolean isJson() {
            return contentType != null && contentType.startsWith("application/json");
        }

        @Override
        public String toString() {
            return "Answer[status=" + status + ", contentType=" + contentType + ", " + (body == null ? 0 : body.length()) + " chars]";
        }
    }

    /**
     * @param apiUrl the http(s) form of LIVEKIT_URL
     * @throws IOException when the server cannot be reached or does not answer in time
     */
    Answer call(String apiUrl, String service, String method, String token, String jsonBody) throws IOException, InterruptedException {
        String base = Urls.stripTrailingSlashes(apiUrl);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/twirp/" + service + "/" + method))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), response.body());
    }

    /** {@code livekit.RoomService/ListRooms} with body {@code {}}; the token needs {@code video.roomList}. */
    Answer listRooms(String apiUrl, String token) throws IOException, InterruptedException {
        return call(apiUrl, "livekit.RoomService", "ListRooms", token, "{}");
    }
}
