package io.realtimegateway.tracing;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * The span of one token request, ticket or session, from its door to its end. Every setter takes what may be
 * exported and nothing else (see {@link SpanAttributes}): an identity becomes its fingerprint; a failure its HTTP status,
 * never its message. {@link #NONE} (tracing off) does nothing and allocates nothing. Thread-safe: a session ends on
 * its event loop, a refusal on whichever thread admission answered.
 */
public class SessionTrace {

    /** The trace of nothing: tracing is off. */
    public static final SessionTrace NONE = new SessionTrace();

    private static final TextMapSetter<BiConsumer<String, String>> HEADERS = (carrier, key, value) -> carrier.accept(key, value);

    private SessionTrace() {
    }

    static SessionTrace of(Tracer tracer, Span span) {
        return new Recording(tracer, span);
    }

    /** Who: the identity's fingerprint, never the identity. */
    public SessionTrace identity(String identity) {
        return this;
    }

    public SessionTrace model(String model) {
        return this;
    }

    /** {@code realtime} or {@code transcription}. */
    public SessionTrace intent(String intent) {
        return this;
    }

    /**
     * The admission step that refused, and why.
     *
     * @param step the step, e.g. {@code CREDENTIAL}
     * @param reason a fixed label (a refusal metric's reason, a problem type's slug), never free text
     */
    public SessionTrace refused(Enum<?> step, String reason) {
        return this;
    }

    /** The HTTP answer of an HTTP door (or of the relay's refused upgrade). */
    public SessionTrace status(int status) {
        return this;
    }

    /** A failure: its HTTP status when it is a problem, else an error with the exception's class name only. */
    public SessionTrace failed(Throwable failure) {
        return this;
    }

    /** An error of a fixed kind (a metric label, never a message): the span's status is ERROR with it. */
    public SessionTrace error(String label) {
        return this;
    }

    /** A session's last counters (set once, at its close: the per-frame path never touches a span). */
    public SessionTrace closed(SessionTotals totals) {
        return this;
    }

    /**
     * A child span for one step that leaves the gateway (the upstream dial, a REST call to OpenAI): its
     * {@link #inject traceparent} goes with the request, so OpenAI's side joins the tree. Ended by the caller.
     */
    public SessionTrace child(String name) {
        return this;
    }

    /** Adds {@code traceparent} (W3C) for this span to an outgoing request to OpenAI; nothing when tracing is off. */
    public void inject(BiConsumer<String, String> header) {
    }

    /** Ends the span; later calls do nothing. */
    public void end() {
    }

    /**
     * An HTTP door's answer, traced: its status ({@code okStatus}, or the failure's) is set and the span ended when it
     * completes, fails or is cancelled. Tracing off: the answer itself.
     */
    public <T> Uni<T> endWith(Uni<T> answer, int okStatus) {
        if (this == NONE) {
            return answer;
        }
        return answer.onItemOrFailure().invoke((item, failure) -> {
            if (failure == null) {
                status(okStatus);
            } else {
                failed(failure);
            }
            end();
        }).onCancellation().invoke(this::end);
    }

    /** Whether this trace records (tests, and to skip work when off). */
    public boolean recording() {
        return false;
    }

    private static final class Recording extends SessionTrace {

        private final Tracer tracer;
        private final Span span;
        private final AtomicBoolean ended = new AtomicBoolean();

        Recording(Tracer tracer, Span span) {
            this.tracer = tracer;
            this.span = span;
        }

        @Override
        public SessionTrace child(String name) {
            return new Recording(tracer, tracer.spanBuilder(name).setParent(Context.root().with(span)).setSpanKind(SpanKind.CLIENT).startSpan());
        }

        @Override
        public SessionTrace identity(String identity) {
            if (identity != null) {
                span.setAttribute(SpanAttributes.IDENTITY, "sha256:" + Fingerprint.sha256Prefix(identity));
            }
            return this;
        }

        @Override
        public SessionTrace model(String model) {
            if (model != null) {
                span.setAttribute(SpanAttributes.MODEL, model);
            }
            return this;
        }

        @Override
        public SessionTrace intent(String intent) {
            if (intent != null) {
                span.setAttribute(SpanAttributes.INTENT, intent);
            }
            return this;
        }

        @Override
        public SessionTrace refused(Enum<?> step, String reason) {
            String stepName = step.name().toLowerCase(Locale.ROOT);
            span.setAttribute(SpanAttributes.REFUSAL_STEP, stepName);
            if (reason != null) {
                span.setAttribute(SpanAttributes.REFUSAL_REASON, reason);
            }
            span.setStatus(StatusCode.ERROR, "refused at " + stepName);
            return this;
        }

        @Override
        public SessionTrace status(int status) {
            span.setAttribute(SpanAttributes.HTTP_STATUS, status);
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            return this;
        }

        @Override
        public SessionTrace failed(Throwable failure) {
            if (failure instanceof ProblemException problem) {
                status(problem.status());
            } else {
                status(500);
                span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
            }
            return this;
        }

        @Override
        public SessionTrace error(String label) {
            span.setStatus(StatusCode.ERROR, label);
            return this;
        }

        @Override
        public SessionTrace closed(SessionTotals totals) {
            if (totals.upstreamSession() != null && !"-".equals(totals.upstreamSession())) {
                span.setAttribute(SpanAttributes.UPSTREAM_SESSION, totals.upstreamSession());
            }
            if (totals.clientClose() > 0) {
                span.setAttribute(SpanAttributes.CLOSE_CLIENT, totals.clientClose());
            }
            span.setAttribute(SpanAttributes.CLOSE_UPSTREAM, totals.upstreamClose());
            span.setAttribute(SpanAttributes.FRAMES_UP, totals.framesUp());
            span.setAttribute(SpanAttributes.BYTES_UP, totals.bytesUp());
            span.setAttribute(SpanAttributes.FRAMES_DOWN, totals.framesDown());
            span.setAttribute(SpanAttributes.BYTES_DOWN, totals.bytesDown());
            span.setAttribute(SpanAttributes.INPUT_TOKENS, totals.inputTokens());
            span.setAttribute(SpanAttributes.OUTPUT_TOKENS, totals.outputTokens());
            span.setAttribute(SpanAttributes.TOTAL_TOKENS, totals.totalTokens());
            return this;
        }

        @Override
        public void inject(BiConsumer<String, String> header) {
            W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), header, HEADERS);
        }

        @Override
        public void end() {
            if (ended.compareAndSet(false, true)) {
                span.end();
            }
        }

        @Override
        public boolean recording() {
            return span.isRecording();
        }
    }
}
