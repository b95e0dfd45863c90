package io.realtimegateway.openai;

import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.preflight.PreflightCheck;
import io.realtimegateway.preflight.PreflightConfig;
import io.realtimegateway.realtime.RealtimeConfig;
import io.realtimegateway.realtime.live.LiveConfig;

/**
 * Online GPT-Live check, {@code openai.live-access}: {@code GET /models/{the first of GATEWAY_LIVE_MODELS}} with the
 * server key, classified as {@code openai.model-access} classifies its model (a key that may not read models is a
 * WARN here: there is no free GPT-Live probe, a session is billed from its start). Readiness reads it as it reads the
 * Realtime check: part of {@code openai}, DEGRADED on an outage. A {@code @Singleton}: its superclass has no no-args
 * constructor for a client proxy.
 */
@Singleton
@Typed({ OpenAiLiveCheck.class, PreflightCheck.class })
class OpenAiLiveCheck extends OpenAiModelCheck {

    static final String LIVE_NAME = "openai.live-access";

    OpenAiLiveCheck(OpenAiCredentials openai, RealtimeConfig realtime, LiveConfig live, PreflightConfig preflight, OpenAiRestClient rest,
            OpenAiRealtimeProbe probe) {
        super(openai, realtime, preflight, rest, probe, LIVE_NAME, () -> live.models().get(0), "GATEWAY_LIVE_MODELS", false, 1);
    }
}
