package io.realtimegateway.tracing;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.realtimegateway.auth.AuthConfig;
import io.realtimegateway.auth.CallerAuthenticator;
import io.vertx.core.http.HttpServerRequest;

/**
 * Starts the gateway's spans ({@link Traced}) and decides, in this one place, which trace a span continues.
 * <p>
 * <b>The traceparent rule.</b> A span continues the caller's W3C {@code traceparent} only at a door that takes a
 * caller credential ({@link Traced#callerDoor()}) while callers authenticate with API keys ({@code GATEWAY_AUTH_MODE=api-key}):
 * those are the operator's own back ends. Everyone else starts a new trace: a browser, a ticket holder (the relay,
 * WebRTC calls) or a caller JWT (browsers may hold those) could otherwise choose the trace id and force sampling
 * (the {@code sampled} flag, through the parent-based sampler). {@code tracestate} follows the same rule; baggage is
 * never read.
 * <p>
 * Quarkus's own HTTP instrumentation is off (application.properties), since it would accept every caller's
 * {@code traceparent} and add a span per HTTP request and per Redis command. Off by default: with
 * {@code quarkus.otel.sdk.disabled=true} (the default) every door gets {@link SessionTrace#NONE}, which does nothing.
 */
@ApplicationScoped
public class Tracing {

    static final String INSTRUMENTATION = "io.realtimegateway";

    private static final TextMapGetter<HttpServerRequest> REQUEST_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServerRequest request) {
            return request.headers().names();
        }

        @Override
        public String get(HttpServerRequest request, String key) {
            return request == null ? null : request.getHeader(key);
        }
    };

    /** Headers as a map, for tests of the rule. */
    static final TextMapGetter<Map<String, String>> MAP_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> headers) {
            return headers.keySet();
        }

        @Override
        public String get(Map<String, String> headers, String key) {
            return headers == null ? null : headers.get(key);
        }
    };

    private final Tracer tracer; // null when off
    private final boolean apiKeyCallers;

    @Inject
    Tracing(OpenTelemetry openTelemetry, CallerAuthenticator callers,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "true") boolean sdkDisabled) {
        // With api-key,jwt on one gateway, a JWT (an end user) could force sampling: no caller's traceparent is continued then.
        this(sdkDisabled ? null : openTelemetry.getTracer(INSTRUMENTATION),
                callers.modes().accepts(AuthConfig.Mode.API_KEY) && !callers.modes().accepts(AuthConfig.Mode.JWT));
    }

    Tracing(Tracer tracer, boolean apiKeyCallers) {
        this.tracer = tracer;
        this.apiKeyCallers = apiKeyCallers;
    }

    /** A new span for {@code what}, a child of the request's trace when {@link #parent the rule} allows it. */
    public SessionTrace start(Traced what, HttpServerRequest request) {
        if (tracer == null) {
            return SessionTrace.NONE;
        }
        return SessionTrace.of(tracer, tracer.spanBuilder(what.spanName())
                .setParent(parent(what, request, REQUEST_HEADERS))
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(SpanAttributes.SESSION_TYPE, what.sessionType())
                .startSpan());
    }

    /** The trace a span at this door continues: the request's {@code traceparent} for API-key callers, else a new one. */
    <C> Context parent(Traced what, C headers, TextMapGetter<C> getter) {
        if (headers == null || !what.callerDoor() || !apiKeyCallers) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, getter);
    }

    /** Whether spans are exported at all. */
    public boolean on() {
        return tracer != null;
    }
}
