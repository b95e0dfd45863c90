package io.realtimegateway.tracing;

import io.opentelemetry.api.common.AttributeKey;

/**
 * Every attribute the gateway puts on a span: the complete list (docs/observability.md, "Traces", names the same).
 * None holds a secret, a ticket, a token or a raw identity; tests assert it on what is exported.
 */
public final class SpanAttributes {

    /** {@code sha256:} and the first 8 hex characters of the identity's SHA-256: identities may be personal (an e-mail, a JWT subject). */
    public static final AttributeKey<String> IDENTITY = AttributeKey.stringKey("gateway.identity.fingerprint");
    public static final AttributeKey<String> SESSION_TYPE = AttributeKey.stringKey("gateway.session.type");
    /** {@code realtime} or {@code transcription}. */
    public static final AttributeKey<String> INTENT = AttributeKey.stringKey("gateway.session.intent");
    public static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
    /** OpenAI's {@code session.id}, or a WebRTC call's id. */
    public static final AttributeKey<String> UPSTREAM_SESSION = AttributeKey.stringKey("gateway.upstream.session_id");
    public static final AttributeKey<Long> CLOSE_CLIENT = AttributeKey.longKey("gateway.close.client");
    /** A close code, {@code connect-failed}, or {@code -} when upstream never opened. */
    public static final AttributeKey<String> CLOSE_UPSTREAM = AttributeKey.stringKey("gateway.close.upstream");
    public static final AttributeKey<Long> FRAMES_UP = AttributeKey.longKey("gateway.frames.up");
    public static final AttributeKey<Long> BYTES_UP = AttributeKey.longKey("gateway.bytes.up");
    public static final AttributeKey<Long> FRAMES_DOWN = AttributeKey.longKey("gateway.frames.down");
    public static final AttributeKey<Long> BYTES_DOWN = AttributeKey.longKey("gateway.bytes.down");
    public static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    public static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    public static final AttributeKey<Long> TOTAL_TOKENS = AttributeKey.longKey("gateway.usage.total_tokens");
    /** The admission step that refused ({@code admission/Step}, lower case). */
    public static final AttributeKey<String> REFUSAL_STEP = AttributeKey.stringKey("gateway.refusal.step");
    /** The refusal's reason: the label of {@code gateway_realtime_refusals_total{reason}}, or the problem type's slug. */
    public static final AttributeKey<String> REFUSAL_REASON = AttributeKey.stringKey("gateway.refusal.reason");
    public static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

    private SpanAttributes() {
    }
}
