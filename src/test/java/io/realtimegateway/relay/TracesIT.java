package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.OtlpReceiver;
import io.realtimegateway.testing.RelayJar;
import io.realtimegateway.testing.Secrets;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;

/**
 * Traces on the packaged artifact, switched on by the standard {@code OTEL_*} variables only and exported over
 * OTLP/HTTP to a real receiver in its own process ({@link OtlpReceiver}: OpenTelemetry's OTLP protobuf types): the
 * span tree of a relayed session (the session, its upstream dial, the dial's traceparent at the fake upstream), of a
 * refused one (the step and reason), of an OpenAI client secret (its REST call's span and traceparent), and that no
 * credential appears anywhere in what was exported.
 */
class TracesIT {

    private static Vertx vertx;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void close() {
        vertx.close();
    }

    @Test
    void spansOfARelayedARefusedSessionAndAClientSecretReachAnOtlpReceiver() {
        try (OtlpReceiver receiver = OtlpReceiver.start();
                RelayJar jar = RelayJar.start(env -> env.with("OTEL_SDK_DISABLED", "false")
                        .with("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
                        .with("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                        .with("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms")
                        .with("OTEL_SERVICE_NAME", "gateway-under-test"))) {
            URI relay = URI.create(jar.gateway().awaitListening() + RealtimeRelay.PATH);
            String ticket = jar.ticket();
            TestSocket session = TestSocket.connect(vertx, relay, "model=gpt-realtime", Map.of("Authorization", "Bearer " + ticket), List.of());
            session.awaitEvent("session.created");
            session.send(new JsonObject().put("type", "response.create"));
            session.awaitEvent("response.done");
            session.close();
            session.awaitClosed();

            String forged = "ek_" + Secrets.random(40);
            assertThatThrownBy(() -> TestSocket.connect(vertx, relay, "model=gpt-realtime", Map.of("Authorization", "Bearer " + forged), List.of()))
                    .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(401));

            HttpResponse<String> secret = jar.gateway().postJson("/v1/realtime/client_secrets", "{}", jar.env().callerKey());
            assertThat(secret.statusCode()).as(secret.body()).isEqualTo(200);
            String openAiSecret = new JsonObject(secret.body()).getString("value");

            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.spans().stream().map(OtlpReceiver.Span::name).toList()
                        .containsAll(List.of("gateway.ticket", "gateway.realtime.session", "gateway.upstream.connect", "gateway.openai.client_secret",
                                "gateway.openai.http"))
                        && receiver.spans().stream().filter(s -> s.name().equals("gateway.realtime.session")).count() == 2);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("the spans did not all reach the receiver: " + receiver.spans() + "\ngateway output:\n"
                        + jar.gateway().redactedOutput(), e);
            }
            List<OtlpReceiver.Span> spans = receiver.spans();

            OtlpReceiver.Span relayed = one(spans, s -> s.name().equals("gateway.realtime.session") && !s.attributes().containsKey("gateway.refusal.step"));
            assertThat(relayed.parentSpanId()).as("a ticket holder starts a trace").isEmpty();
            assertThat(relayed.kind()).isEqualTo("SPAN_KIND_SERVER");
            assertThat(relayed.attributes()).containsEntry("gateway.session.type", "websocket").containsEntry("gen_ai.request.model", "gpt-realtime")
                    .containsEntry("gateway.close.client", "1000").containsEntry("gateway.frames.up", "1").containsKeys("gateway.identity.fingerprint",
                            "gateway.bytes.up", "gateway.frames.down", "gateway.bytes.down", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens",
                            "gateway.usage.total_tokens", "gateway.close.upstream");
            assertThat(relayed.attributes().get("gateway.upstream.session_id")).startsWith("sess_fake_");
            assertThat(Long.parseLong(relayed.attributes().get("gateway.usage.total_tokens"))).isPositive();
            OtlpReceiver.Span dial = one(spans, s -> s.name().equals("gateway.upstream.connect"));
            assertThat(dial.traceId()).isEqualTo(relayed.traceId());
            assertThat(dial.parentSpanId()).isEqualTo(relayed.spanId());
            JsonObject upgrade = jar.fake().connections().get(0).getJsonObject("headers");
            assertThat(upgrade.getString("traceparent", upgrade.getString("Traceparent")))
                    .isEqualTo("00-" + relayed.traceId() + "-" + dial.spanId() + "-01");
            assertThat(spans).as("nothing else in the session's trace: no span per frame")
                    .filteredOn(s -> s.traceId().equals(relayed.traceId())).hasSize(2);

            OtlpReceiver.Span refused = one(spans, s -> s.name().equals("gateway.realtime.session") && s.attributes().containsKey("gateway.refusal.step"));
            assertThat(refused.attributes()).containsEntry("gateway.refusal.step", "credential").containsEntry("http.response.status_code", "401")
                    .containsKey("gateway.refusal.reason").doesNotContainKey("gateway.identity.fingerprint");
            assertThat(refused.statusCode()).isEqualTo("STATUS_CODE_ERROR");

            OtlpReceiver.Span minted = one(spans, s -> s.name().equals("gateway.openai.client_secret"));
            OtlpReceiver.Span rest = one(spans, s -> s.name().equals("gateway.openai.http") && s.parentSpanId().equals(minted.spanId()));
            assertThat(rest.kind()).isEqualTo("SPAN_KIND_CLIENT");
            assertThat(rest.attributes()).containsEntry("http.response.status_code", "200");
            JsonObject mintRequest = jar.fake().clientSecrets().get(0).getJsonObject("headers");
            assertThat(mintRequest.getString("traceparent", mintRequest.getString("Traceparent"))).isEqualTo("00-" + minted.traceId() + "-" + rest.spanId() + "-01");

            String exported = receiver.raw();
            assertThat(exported).contains("gateway-under-test");
            for (String secretValue : jar.env().secrets()) {
                assertThat(exported).as("an env secret in the export").doesNotContain(secretValue);
            }
            assertThat(exported).doesNotContain(ticket).doesNotContain(forged).doesNotContain(openAiSecret).doesNotContain(FakeOpenAiUpstream.API_KEY);
            for (String part : ticket.split("\\.")) {
                assertThat(exported).as("a part of the ticket").doesNotContain(part);
            }
        }
    }

    private static OtlpReceiver.Span one(List<OtlpReceiver.Span> spans, Predicate<OtlpReceiver.Span> which) {
        List<OtlpReceiver.Span> found = spans.stream().filter(which).toList();
        assertThat(found).as("spans: %s", spans).hasSize(1);
        return found.get(0);
    }
}
