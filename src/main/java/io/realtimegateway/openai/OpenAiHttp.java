package io.realtimegateway.openai;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.config.CallsConfig;
import io.realtimegateway.credentials.OpenAiCredentials;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;

/**
 * The gateway's REST calls to OpenAI on behalf of clients (WebRTC calls, client secrets, hang-ups): one Vert.x
 * HTTP client on the Vert.x instance Quarkus runs, created once. HTTP/1.1, without the h2c upgrade on
 * {@code http://} (test upstreams and plain proxies answer it badly). Every request carries the server key
 * ({@link OpenAiCredentials#headers()}); nothing here logs a request or an answer.
 */
@ApplicationScoped
class OpenAiHttp {

    private final OpenAiCredentials openai;
    private final HttpClient client;
    private final long timeoutMillis;

    OpenAiHttp(OpenAiCredentials openai, CallsConfig config, Vertx vertx) {
        this.openai = openai;
        this.timeoutMillis = Math.max(1, config.upstreamTimeout().toMillis());
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setHttp2ClearTextUpgrade(false)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .setKeepAlive(true));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** OpenAI's answer: the status, its headers and the body as text. */
    record Answer(int status, MultiMap headers, String body) {

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * {@code POST {OPENAI_BASE_URL}{path}} with the server key. Fails when OpenAI cannot be reached or does not
     * answer within {@code gateway.realtime.calls.upstream-timeout}; any HTTP status is an answer.
     */
    Uni<Answer> post(String path, String contentType, Buffer body) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(openai.restBase() + path)
                .setConnectTimeout(timeoutMillis)
                .setTimeout(timeoutMillis)
                .setFollowRedirects(false);
        openai.headers().forEach(options::addHeader);
        options.addHeader("Accept", "*/*");
        if (contentType != null) {
            options.addHeader("Content-Type", contentType);
        }
        Future<Answer> answer = client.request(options)
                .compose(request -> request.send(body == null ? Buffer.buffer() : body))
                .compose(response -> response.body().map(bytes -> new Answer(response.statusCode(), response.headers(), bytes.toString())));
        return Uni.createFrom().completionStage(answer.toCompletionStage());
    }
}
