package io.realtimegateway.testing;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/**
 * Finished spans in memory, for the @QuarkusTests that read what the gateway traces (a profile with
 * {@code quarkus.otel.sdk.disabled=false}): Quarkus adds every {@link SpanProcessor} bean to its tracer provider.
 * Unused while the SDK is off, as in every other test.
 */
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }

    @Produces
    @Singleton
    SpanProcessor processor(InMemorySpanExporter exporter) {
        return SimpleSpanProcessor.create(exporter);
    }
}
