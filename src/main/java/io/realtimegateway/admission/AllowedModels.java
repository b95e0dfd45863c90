package io.realtimegateway.admission;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.realtime.RealtimeConfig;

/**
 * The one place that decides which OpenAI models a session may use ({@code GATEWAY_REALTIME_MODELS}; the first is
 * the default). Every door asks it through {@link Admission}'s binding step; the client secrets' request policy asks
 * it for the model in the body.
 */
@ApplicationScoped
public class AllowedModels {

    private final List<String> models;

    AllowedModels(RealtimeConfig config) {
        this.models = List.copyOf(config.models());
    }

    public boolean allowed(String model) {
        return model != null && models.contains(model);
    }

    /** The model a session gets when none is asked for. */
    public String defaultModel() {
        return models.get(0);
    }

    public List<String> list() {
        return models;
    }

    /** "gpt-realtime, gpt-realtime-mini": for refusals. */
    public String listed() {
        return String.join(", ", models);
    }
}
