package io.realtimegateway.admission;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.realtime.RealtimeConfig;
import io.realtimegateway.realtime.live.LiveConfig;
import io.realtimegateway.ticket.Ticket;

/**
 * The one place that decides which OpenAI models a session may use: {@code GATEWAY_REALTIME_MODELS} for Realtime
 * sessions, {@code GATEWAY_LIVE_MODELS} for GPT-Live ones (the first of each is its default). Every door asks it
 * through {@link Admission}'s binding step; the client secrets' request policy asks it for the model in the body, the
 * Live relay for the model of {@code session.start}. A model listed for both is refused at boot
 * ({@code realtime.live.models}), so a model names its session type.
 */
@ApplicationScoped
public class AllowedModels {

    private final List<String> models;
    private final List<String> live;

    AllowedModels(RealtimeConfig config, LiveConfig live) {
        this.models = List.copyOf(config.models());
        this.live = List.copyOf(live.models());
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

    /** Whether {@code model} is allowed for a session of {@code type} (Live models for {@code live}, Realtime ones otherwise). */
    public boolean allowed(Ticket.Type type, String model) {
        return model != null && list(type).contains(model);
    }

    /** The default model of a session of {@code type}. */
    public String defaultModel(Ticket.Type type) {
        return list(type).get(0);
    }

    /** The allowed models of a session of {@code type}. */
    public List<String> list(Ticket.Type type) {
        return type == Ticket.Type.LIVE ? live : models;
    }

    /** The allowed models of a session of {@code type}, for refusals. */
    public String listed(Ticket.Type type) {
        return String.join(", ", list(type));
    }

    /** The type a model alone implies when a request names no type: {@code live} for a GPT-Live model, else {@code realtime}. */
    public Ticket.Type impliedType(String model) {
        return model != null && live.contains(model) && !models.contains(model) ? Ticket.Type.LIVE : Ticket.Type.REALTIME;
    }
}
