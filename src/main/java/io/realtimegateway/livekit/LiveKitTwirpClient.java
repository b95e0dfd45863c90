package io.realtimegateway.livekit;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.realtimegateway.credentials.Urls;
import io.realtimegateway.preflight.OutboundHttp;
import io.realtimegateway.preflight.PreflightConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The gateway's HTTP client for livekit-server: its server API (Twirp over HTTP+JSON, e.g.
 * {@code POST {api}/twirp/livekit.RoomService/ListRooms}) and {@code /rtc/validate}. One Vert.x client
 * ({@link OutboundHttp}), created once for every probe and refresh. Blocking: call from the boot thread or a worker.
 * Responses may echo the bearer token (livekit-server v1.13.5 does on 401): never log a body verbatim.
 */
@Singleton
final class LiveKitTwirpClient {

    private final HttpClient http;
    private final Duration timeout;

    @Inject
    LiveKitTwirpClient(Vertx vertx, PreflightConfig config) {
        this(vertx, config.timeout());
    }

    /** @param timeout the connect timeout, and the default timeout of a whole call */
    LiveKitTwirpClient(Vertx vertx, Duration timeout) {
        this.timeout = timeout;
        this.http = vertx.createHttpClient(OutboundHttp.options(timeout));
    }

    @PreDestroy
    void close() {
        http.close();
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
     * @throws IllegalArgumentException when the URL is not one
     */
    Answer call(String apiUrl, String service, String method, String token, String jsonBody) throws IOException, InterruptedException {
        RequestOptions request = request(HttpMethod.POST, Urls.stripTrailingSlashes(apiUrl) + "/twirp/" + service + "/" + method, timeout)
                .addHeader("Authorization", "Bearer " + token)
                .addHeader("Content-Type", "application/json");
        return send(request, Buffer.buffer(jsonBody), timeout);
    }

    /** {@code livekit.RoomService/ListRooms} with body {@code {}}; the token needs {@code video.roomList}. */
    Answer listRooms(String apiUrl, String token) throws IOException, InterruptedException {
        return call(apiUrl, "livekit.RoomService", "ListRooms", token, "{}");
    }

    /** {@code GET {absoluteUri}} within {@code timeout}, e.g. {@code /rtc/validate?access_token=…}. */
    Answer get(String absoluteUri, Duration timeout) throws IOException, InterruptedException {
        return send(request(HttpMethod.GET, absoluteUri, timeout), null, timeout);
    }

    private static RequestOptions request(HttpMethod method, String absoluteUri, Duration timeout) {
        URI uri = URI.create(absoluteUri); // a malformed URL is an IllegalArgumentException, as the check reports it
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL");
        }
        long millis = Math.max(1, timeout.toMillis());
        return new RequestOptions().setMethod(method).setAbsoluteURI(absoluteUri).setFollowRedirects(false)
                .setConnectTimeout(millis).setTimeout(millis);
    }

    private Answer send(RequestOptions options, Buffer body, Duration timeout) throws IOException, InterruptedException {
        Future<Answer> answer = http.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body().map(bytes -> new Answer(response.statusCode(), response.getHeader("Content-Type"),
                        bytes.toString())));
        return OutboundHttp.await(answer.toCompletionStage(), timeout.plusSeconds(1));
    }
}
