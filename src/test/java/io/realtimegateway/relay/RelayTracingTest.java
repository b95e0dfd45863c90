package io.realtimegateway.relay;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.Secrets;
import io.realtimegateway.tracing.SpanAttributes;
import io.realtimegateway.tracing.TracingProfiles;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;

/**
 * The spans of the relay's doors, read from an in-memory exporter: a ticket and a relayed session (their attributes,
 * the traceparent rule both ways, the upstream upgrade's traceparent), refusals (their step and reason), and that no
 * credential appears in any attribute. TracesIT checks the same over OTLP on the packaged artifact.
 */
@QuarkusTest
@TestProfile(TracingProfiles.On.class)
@WithTestResource(FakeOpenAiUpstream.class)
class RelayTracingTest extends RelaySocketTestBase {

    /** A caller's trace (W3C example ids): API-key callers may continue it. */
    static final String CALLER_TRACE = "0af7651916cd43dd8448eb211c80319c";
    static final String CALLER_TRACEPARENT = "00-" + CALLER_TRACE + "-b7ad6b7169203331-01";
    /** What a browser or ticket holder might send to choose the trace and force sampling. */
    static final String FORGED_TRACE = "11111111111111111111111111111111";
    static final String FORGED_TRACEPARENT = "00-" + FORGED_TRACE + "-2222222222222222-01";

    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void clearSpans() {
        spans.reset();
    }

    @Test
    void aRelayedSessionIsOneSpanInANewTraceWithItsCountsSetAtTheClose() {
        String ticket = given().header("Authorization", "Bearer " + TracingProfiles.callerKey()).header("traceparent", CALLER_TRACEPARENT)
                .contentType("application/json").body("{}").post("/api/realtime/client-secret")
                .then().statusCode(200).extract().path("value");
        SpanData ticketSpan = awaitSpan("gateway.ticket");
        assertThat(ticketSpan.getTraceId()).as("an API-key caller's traceparent is continued").isEqualTo(CALLER_TRACE);
        assertThat(ticketSpan.getParentSpanId()).isEqualTo("b7ad6b7169203331");
        assertThat(ticketSpan.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(ticketSpan.getAttributes().get(SpanAttributes.IDENTITY)).matches("sha256:[0-9a-f]{8}");
        assertThat(ticketSpan.getAttributes().get(SpanAttributes.MODEL)).isEqualTo("gpt-realtime");
        assertThat(ticketSpan.getAttributes().get(SpanAttributes.HTTP_STATUS)).isEqualTo(200L);

        TestSocket socket = connect("model=gpt-realtime", Map.of("Authorization", "Bearer " + ticket, "traceparent", FORGED_TRACEPARENT), List.of());
        socket.awaitEvent("session.created");
        socket.send(new JsonObject().put("type", "response.create"));
        socket.awaitEvent("response.done");
        socket.close();
        socket.awaitClosed();

        SpanData session = awaitSpan("gateway.realtime.session");
        assertThat(session.getTraceId()).as("a ticket holder's traceparent is ignored").isNotEqualTo(FORGED_TRACE).isNotEqualTo(CALLER_TRACE);
        assertThat(session.getParentSpanContext().isValid()).isFalse();
        assertThat(session.getAttributes().get(SpanAttributes.SESSION_TYPE)).isEqualTo("websocket");
        assertThat(session.getAttributes().get(SpanAttributes.IDENTITY)).isEqualTo(ticketSpan.getAttributes().get(SpanAttributes.IDENTITY));
        assertThat(session.getAttributes().get(SpanAttributes.MODEL)).isEqualTo("gpt-realtime");
        assertThat(session.getAttributes().get(SpanAttributes.INTENT)).isEqualTo("realtime");
        assertThat(session.getAttributes().get(SpanAttributes.UPSTREAM_SESSION)).startsWith("sess_fake_");
        assertThat(session.getAttributes().get(SpanAttributes.CLOSE_CLIENT)).isEqualTo(1000L);
        assertThat(session.getAttributes().get(SpanAttributes.CLOSE_UPSTREAM)).as("the client left first: the span ends before upstream's close")
                .isEqualTo("-");
        assertThat(session.getAttributes().get(SpanAttributes.FRAMES_UP)).isEqualTo(1L);
        assertThat(session.getAttributes().get(SpanAttributes.BYTES_UP)).isPositive();
        assertThat(session.getAttributes().get(SpanAttributes.FRAMES_DOWN)).isGreaterThanOrEqualTo(6L);
        assertThat(session.getAttributes().get(SpanAttributes.BYTES_DOWN)).isPositive();
        assertThat(session.getAttributes().get(SpanAttributes.TOTAL_TOKENS)).isPositive();
        assertThat(session.getAttributes().get(SpanAttributes.INPUT_TOKENS)).isPositive();
        assertThat(session.getAttributes().get(SpanAttributes.REFUSAL_STEP)).isNull();
        assertThat(session.getEvents()).as("no event per frame").isEmpty();

        SpanData dial = awaitSpan("gateway.upstream.connect");
        assertThat(dial.getParentSpanId()).as("the dial is the session's child").isEqualTo(session.getSpanId());
        assertThat(dial.getTraceId()).isEqualTo(session.getTraceId());
        assertThat(dial.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(dial.getAttributes().get(SpanAttributes.HTTP_STATUS)).isEqualTo(101L);
        JsonObject upgrade = fake.connections().get(0).getJsonObject("headers");
        String traceparent = upgrade.getString("traceparent", upgrade.getString("Traceparent"));
        assertThat(traceparent).as("the upstream upgrade carries the dial's trace context")
                .isEqualTo("00-" + session.getTraceId() + "-" + dial.getSpanId() + "-01");
        assertNoCredentialIn(spans.getFinishedSpanItems(), ticket);
    }

    @Test
    void aRefusedUpgradeNamesTheStepAndTheReasonButNotTheCredential() {
        String forged = "ek_" + Secrets.random(40);
        assertThatThrownBy(() -> connect("model=gpt-realtime", Map.of("Authorization", "Bearer " + forged), List.of()))
                .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(401));
        SpanData refused = awaitSpan("gateway.realtime.session");
        assertThat(refused.getAttributes().get(SpanAttributes.REFUSAL_STEP)).isEqualTo("credential");
        assertThat(refused.getAttributes().get(SpanAttributes.REFUSAL_REASON)).isNotBlank();
        assertThat(refused.getAttributes().get(SpanAttributes.HTTP_STATUS)).isEqualTo(401L);
        assertThat(refused.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(refused.getAttributes().get(SpanAttributes.IDENTITY)).as("no verified identity").isNull();
        assertNoCredentialIn(spans.getFinishedSpanItems(), forged);
    }

    @Test
    void anInBandRefusalNamesTheBindingStepAndTheCloseCode() {
        String ticket = given().header("Authorization", "Bearer " + TracingProfiles.callerKey())
                .contentType("application/json").body("{}").post("/api/realtime/client-secret")
                .then().statusCode(200).extract().path("value");
        spans.reset();
        TestSocket socket = connect("model=gpt-realtime-mini", Map.of("Authorization", "Bearer " + ticket), List.of());
        socket.awaitClosed();
        SpanData refused = awaitSpan("gateway.realtime.session");
        assertThat(refused.getAttributes().get(SpanAttributes.REFUSAL_STEP)).isEqualTo("binding");
        assertThat(refused.getAttributes().get(SpanAttributes.REFUSAL_REASON)).isEqualTo("ticket_model_mismatch");
        assertThat(refused.getAttributes().get(SpanAttributes.CLOSE_CLIENT)).isEqualTo((long) socket.closeCode);
        assertThat(refused.getAttributes().get(SpanAttributes.IDENTITY)).matches("sha256:[0-9a-f]{8}");
        assertNoCredentialIn(spans.getFinishedSpanItems(), ticket);
    }

    @Test
    void aTokenRequestIsASpanThatContinuesTheApiKeyCallersTrace() {
        given().header("Authorization", "Bearer " + TracingProfiles.callerKey()).header("traceparent", CALLER_TRACEPARENT)
                .contentType("application/json").body("{}").post("/api/livekit/token").then().statusCode(201);
        SpanData token = awaitSpan("gateway.livekit.token");
        assertThat(token.getTraceId()).isEqualTo(CALLER_TRACE);
        assertThat(token.getAttributes().get(SpanAttributes.HTTP_STATUS)).isEqualTo(201L);
        assertThat(token.getAttributes().get(SpanAttributes.IDENTITY)).matches("sha256:[0-9a-f]{8}");
        assertNoCredentialIn(spans.getFinishedSpanItems(), null);
    }

    private SpanData awaitSpan(String name) {
        await().atMost(TestSocket.WAIT).until(() -> spans.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals(name)));
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    /** No attribute value holds the caller key, the OpenAI key, or {@code credential} (a ticket), whole or as its JWT parts. */
    private static void assertNoCredentialIn(List<SpanData> finished, String credential) {
        assertThat(finished).isNotEmpty();
        for (SpanData span : finished) {
            span.getAttributes().forEach((AttributeKey<?> key, Object value) -> {
                String text = String.valueOf(value);
                assertThat(text).as("%s on %s", key, span.getName()).doesNotContain(TracingProfiles.callerKey())
                        .doesNotContain(FakeOpenAiUpstream.API_KEY).doesNotContain("ek_");
                if (credential != null) {
                    assertThat(text).doesNotContain(credential);
                    for (String part : credential.split("\\.")) {
                        if (part.length() > 8) {
                            assertThat(text).doesNotContain(part);
                        }
                    }
                }
            });
        }
    }
}
