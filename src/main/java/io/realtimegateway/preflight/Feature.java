package io.realtimegateway.preflight;

/**
 * The feature a check belongs to. The declaration order is the order of the report's sections (offline checks first,
 * then online ones, each in this order), so renaming or moving a check class never reorders {@code check --json}.
 * Every check name of a feature starts with its {@link #key()} and a dot.
 */
public enum Feature {
    AUTH("auth"),
    CONFIG("config"),
    HTTP("http"),
    LIVEKIT("livekit"),
    TOKEN("token"),
    OPENAI("openai"),
    RELAY("realtime"),
    STATE("state");

    private final String key;

    Feature(String key) {
        this.key = key;
    }

    /** The prefix of the feature's check names and its key in readiness data, e.g. {@code livekit}. */
    public String key() {
        return key;
    }
}
