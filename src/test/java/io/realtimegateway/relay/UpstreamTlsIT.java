package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.GatewayProcess;
import io.realtimegateway.testing.ProdEnv;
import io.realtimegateway.testing.SelfSignedTls;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The packaged gateway calling an OpenAI upstream over TLS, as it does in production ({@code wss://} for the relay,
 * {@code https://} for client secrets): the native executable needs TLS compiled in ({@code quarkus.ssl.native}) for
 * this, which only this tier can show. The fake serves a self-signed certificate that the gateway trusts through the
 * JDK's standard {@code javax.net.ssl.trustStore}; a gateway that does not trust it must refuse the upstream.
 */
class UpstreamTlsIT {

    private static Vertx vertx;
    private static SelfSignedTls tls;
    private static FakeOpenAiUpstream.Standalone fake;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        tls = SelfSignedTls.generate();
        fake = FakeOpenAiUpstream.standalone(tls);
    }

    @AfterAll
    static void stop() {
        if (fake != null) {
            fake.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void aTrustedTlsUpstreamServesTheRelayAndClientSecrets() {
        assertThat(fake.baseUrl()).startsWith("https://");
        ProdEnv env = env();
        try (GatewayProcess gateway = GatewayProcess.start(env, trusting())) {
            TestSocket socket = open(gateway, ticket(gateway, env));
            assertThat(socket.awaitEvent("session.created").getString("type")).isEqualTo("session.created");
            socket.close();

            HttpResponse<String> secret = gateway.postJson("/v1/realtime/client_secrets", "{}", env.callerKey());
            assertThat(secret.statusCode()).as(secret.body()).isEqualTo(200);
            assertThat(new JsonObject(secret.body()).getString("value")).startsWith("ek_");
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedNotIgnored() {
        ProdEnv env = env();
        try (GatewayProcess gateway = GatewayProcess.start(env, List.of())) {
            TestSocket socket = open(gateway, ticket(gateway, env));
            socket.awaitClosed();
            assertThat(socket.closeCode).isEqualTo(1011);
            assertThat(socket.closeReason).startsWith("upstream unreachable");

            HttpResponse<String> secret = gateway.postJson("/v1/realtime/client_secrets", "{}", env.callerKey());
            assertThat(secret.statusCode()).as(secret.body()).isEqualTo(502);
            assertThat(secret.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        }
    }

    private static ProdEnv env() {
        return ProdEnv.valid()
                .with("OPENAI_API_KEY", FakeOpenAiUpstream.API_KEY)
                .with("OPENAI_BASE_URL", fake.baseUrl());
    }

    /** The JDK's own trust-store properties: what an operator behind a TLS-intercepting proxy would set. */
    private static List<String> trusting() {
        return List.of("-Djavax.net.ssl.trustStore=" + tls.trustStore(), "-Djavax.net.ssl.trustStorePassword=" + tls.password(),
                "-Djavax.net.ssl.trustStoreType=PKCS12");
    }

    private static String ticket(GatewayProcess gateway, ProdEnv env) {
        HttpResponse<String> response = gateway.postJson("/api/realtime/client-secret", "{}", env.callerKey());
        assertThat(response.statusCode()).isEqualTo(200);
        return new JsonObject(response.body()).getString("value");
    }

    private static TestSocket open(GatewayProcess gateway, String ticket) {
        URI relay = URI.create(gateway.awaitListening() + RealtimeRelay.PATH);
        return TestSocket.connect(vertx, relay, "model=gpt-realtime", Map.of("Authorization", "Bearer " + ticket), List.of());
    }
}
