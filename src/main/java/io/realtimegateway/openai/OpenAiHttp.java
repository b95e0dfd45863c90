package io.realtimegateway.openai;

import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.preflight.OutboundHttp;
import io.realtimegateway.ticket.SafetyIdentifiers;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The gateway's REST calls to OpenAI (WebRTC calls, client secrets, hang-ups, and the model check): one Vert.x
 * HTTP client on the Vert.x instance Quarkus runs, created once, with {@link OutboundHttp}'s options (HTTP/1.1,
 * without the h2c upgrade on {@code http://}). Every request carries the server key
 * ({@link OpenAiCredentials#headers()}); nothing here logs a request or an answer.
 */
@ApplicationScoped
class OpenAiHttp {

    private final OpenAiCredentials openai;
    /** Null only in the model check's own client ({@link #get}), which acts for no end user. */
    private final SafetyIdentifiers safety;
    private final HttpClient client;
    private final long timeoutMillis;

    @Inject
    OpenAiHttp(OpenAiCredentials openai, SafetyIdentifiers safety, CallsConfig config, Vertx vertx) {
        this(openai, safety, config.upstreamTimeout(), vertx);
    }

    OpenAiHttp(OpenAiCredentials openai, Duration timeout, Vertx vertx) {
        this(openai, null, timeout, vertx);
    }

    private OpenAiHttp(OpenAiCredentials openai, SafetyIdentifiers safety, Duration timeout, Vertx vertx) {
        this.openai = openai;
        this.safety = safety;
        this.timeoutMillis = Math.max(1, timeout.toMillis());
        this.client = vertx.createHttpClient(OutboundHttp.options(timeout));
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
     * {@code POST {OPENAI_BASE_URL}{path}} with the server key, for an end user: the request carries its
     * {@link SafetyIdentifiers hashed identifier}. Fails when OpenAI cannot be reached or does not answer within
     * {@code gateway.realtime.calls.upstream-timeout}; any HTTP status is an answer.
     *
     * @param identity the identity the request is made for (as admission counted it); only its hash is sent
     */
    Uni<Answer> post(String path, String contentType, Buffer body, String identity) {
        String safetyIdentifier = safety.of(identity);
        return Uni.createFrom().completionStage(send(HttpMethod.POST, path, contentType, body, timeoutMillis, safetyIdentifier).toCompletionStage());
    }

    /** {@code GET {OPENAI_BASE_URL}{path}} with the server key, within {@code timeout} (the model check's own). */
    Future<Answer> get(String path, Duration timeout) {
        return send(HttpMethod.GET, path, null, null, Math.max(1, timeout.toMillis()), null);
    }

    private Future<Answer> send(HttpMethod method, String path, String contentType, Buffer body, long timeoutMillis, String safetyIdentifier) {
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setAbsoluteURI(openai.restBase() + path)
                .setConnectTimeout(timeoutMillis)
                .setTimeout(timeoutMillis)
                .setFollowRedirects(false);
        openai.headers().forEach(options::addHeader);
        options.addHeader("Accept", "*/*");
        if (safetyIdentifier != null) {
            options.addHeader(SafetyIdentifiers.HEADER, safetyIdentifier);
        }
        if (contentType != null) {
            options.addHeader("Content-Type", contentType);
        }
        return client.request(options)
                .compose(request -> method == HttpMethod.GET ? request.send() : request.send(body == null ? Buffer.buffer() : body))
                .compose(response -> response.body().map(bytes -> new Answer(response.statusCode(), response.headers(), bytes.toString())));
    }
}
