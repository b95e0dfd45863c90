package io.realtimegateway.state;

/**
 * The counters of a day's usage. {@code path} is where the value sits in OpenAI's usage objects
 * ({@code response.done} {@code response.usage}, and the transcription usage of
 * {@code conversation.item.input_audio_transcription.completed}); {@code key} is the stored name (a Redis hash field).
 */
public enum UsageField {
    INPUT_TOKENS("input_tokens", "input_tokens"),
    OUTPUT_TOKENS("output_tokens", "output_tokens"),
    TOTAL_TOKENS("total_tokens", "total_tokens"),
    INPUT_TEXT_TOKENS("input_text_tokens", "input_token_details.text_tokens"),
    INPUT_AUDIO_TOKENS("input_audio_tokens", "input_token_details.audio_tokens"),
    INPUT_IMAGE_TOKENS("input_image_tokens", "input_token_details.image_tokens"),
    CACHED_TOKENS("cached_tokens", "input_token_details.cached_tokens"),
    CACHED_TEXT_TOKENS("cached_text_tokens", "input_token_details.cached_tokens_details.text_tokens"),
    CACHED_AUDIO_TOKENS("cached_audio_tokens", "input_token_details.cached_tokens_details.audio_tokens"),
    CACHED_IMAGE_TOKENS("cached_image_tokens", "input_token_details.cached_tokens_details.image_tokens"),
    OUTPUT_TEXT_TOKENS("output_text_tokens", "output_token_details.text_tokens"),
    OUTPUT_AUDIO_TOKENS("output_audio_tokens", "output_token_details.audio_tokens"),
    TRANSCRIPTION_INPUT_TOKENS("transcription_input_tokens", "input_tokens"),
    TRANSCRIPTION_OUTPUT_TOKENS("transcription_output_tokens", "output_tokens"),
    TRANSCRIPTION_TOTAL_TOKENS("transcription_total_tokens", "total_tokens"),
    /** Transcription billed by duration ({@code type: "duration"}), in milliseconds. */
    TRANSCRIPTION_MILLIS("transcription_ms", "seconds"),
    /** {@code response.done} events counted. */
    RESPONSES("responses", null),
    /**
     * GPT-Live seconds, on the gateway's clock, reconciled upwards with OpenAI's {@code usage.seconds} when the session
     * closes (the gateway keeps it; OpenAI's figure is read by the Live relay itself).
     */
    LIVE_SECONDS("live_seconds", null);

    private final String key;
    private final String path;

    UsageField(String key, String path) {
        this.key = key;
        this.path = path;
    }

    public String key() {
        return key;
    }

    /** The dotted path in OpenAI's usage object, or null for counters the gateway keeps itself. */
    public String path() {
        return path;
    }

    static UsageField byKey(String key) {
        for (UsageField field : values()) {
            if (field.key.equals(key)) {
                return field;
            }
        }
        return null;
    }
}
