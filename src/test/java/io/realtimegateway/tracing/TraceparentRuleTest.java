package io.realtimegateway.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/**
 * The traceparent rule of {@link Tracing}, every case, without a boot: a caller door continues the caller's trace in
 * api-key mode only; a ticket door (relay, WebRTC) never does; tracing off gives {@link SessionTrace#NONE}.
 * RelayTracingTest checks the same through the real doors.
 */
class TraceparentRuleTest {

    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final Map<String, String> HEADERS = Map.of("traceparent", "00-" + TRACE + "-b7ad6b7169203331-01", "tracestate", "k=v");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void anApiKeyCallerAtACallerDoorContinuesItsTrace() {
        SpanContext parent = parent(true, Traced.TICKET);
        assertThat(parent.getTraceId()).isEqualTo(TRACE);
        assertThat(parent.isSampled()).isTrue();
        assertThat(parent(true, Traced.LIVEKIT_TOKEN).getTraceId()).isEqualTo(TRACE);
        assertThat(parent(true, Traced.CLIENT_SECRET).getTraceId()).isEqualTo(TRACE);
    }

    @Test
    void ticketDoorsNeverContinueTheClientsTrace() {
        assertThat(parent(true, Traced.RELAY).isValid()).isFalse();
        assertThat(parent(true, Traced.WEBRTC).isValid()).isFalse();
    }

    @Test
    void jwtAndAnonymousCallersNeverContinueTheirTrace() {
        for (Traced door : Traced.values()) {
            assertThat(parent(false, door).isValid()).as(door.name()).isFalse();
        }
    }

    @Test
    void tracingOffStartsNothing() {
        Tracing off = new Tracing(null, true);
        assertThat(off.start(Traced.RELAY, null)).isSameAs(SessionTrace.NONE);
        assertThat(off.on()).isFalse();
    }

    @Test
    void anIdentityIsExportedAsItsFingerprintOnly() {
        Tracing on = new Tracing(provider.get("test"), true);
        on.start(Traced.TICKET, null).identity("alice@example.com").end();
        String fingerprint = spans.getFinishedSpanItems().get(0).getAttributes().get(SpanAttributes.IDENTITY);
        assertThat(fingerprint).matches("sha256:[0-9a-f]{8}").doesNotContain("alice");
    }

    private SpanContext parent(boolean apiKeyCallers, Traced door) {
        Tracing tracing = new Tracing(provider.get("test"), apiKeyCallers);
        return Span.fromContext(tracing.parent(door, HEADERS, Tracing.MAP_HEADERS)).getSpanContext();
    }
}
