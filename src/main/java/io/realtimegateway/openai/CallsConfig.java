package io.realtimegateway.openai;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import io.realtimegateway.realtime.RealtimeConfig;

/**
 * WebRTC calls set up through {@code POST /v1/realtime/calls}. They follow the relay's switch, models, instructions,
 * session caps, maximum length and idle timeout ({@link RealtimeConfig}); what is particular to calls is here.
 */
@ConfigMapping(prefix = "gateway.realtime.calls")
public interface CallsConfig {

    /**
     * Open OpenAI's server-side control connection ({@code /v1/realtime?call_id=…}) for every call: it meters usage,
     * re-applies the server instructions, enforces the maximum length and idle timeout and holds the call's session
     * slot. {@code false} leaves each call to OpenAI once set up; from {@code GATEWAY_REALTIME_CALLS_SIDEBAND}.
     */
    @WithDefault("true")
    boolean sideband();

    /** Longest wait for OpenAI's answer to a call, client-secret or hang-up request (connecting included). */
    @WithDefault("15s")
    Duration upstreamTimeout();
}
