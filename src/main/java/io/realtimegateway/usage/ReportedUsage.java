package io.realtimegateway.usage;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.realtimegateway.state.Usage;
import io.realtimegateway.state.UsageField;

/**
 * The usage an OpenAI Realtime event reports, read the same way for relayed sessions and for the sideband of WebRTC
 * calls: a {@code response.done} ({@code response.usage}, counted as one response) or a transcription's
 * {@code conversation.item.input_audio_transcription.completed} ({@code usage}: tokens, or {@code seconds} when
 * billed by duration). Jackson trees only, so nothing needs reflection registration.
 */
public final class ReportedUsage {

    /** The event that carries a transcription's usage (billed apart from responses). */
    public static final String TRANSCRIPTION_COMPLETED = "conversation.item.input_audio_transcription.completed";

    private static final List<UsageField> RESPONSE_FIELDS = List.of(UsageField.INPUT_TOKENS, UsageField.OUTPUT_TOKENS, UsageField.TOTAL_TOKENS,
            UsageField.INPUT_TEXT_TOKENS, UsageField.INPUT_AUDIO_TOKENS, UsageField.INPUT_IMAGE_TOKENS, UsageField.CACHED_TOKENS,
            UsageField.CACHED_TEXT_TOKENS, UsageField.CACHED_AUDIO_TOKENS, UsageField.CACHED_IMAGE_TOKENS, UsageField.OUTPUT_TEXT_TOKENS,
            UsageField.OUTPUT_AUDIO_TOKENS);
    private static final List<UsageField> TRANSCRIPTION_FIELDS = List.of(UsageField.TRANSCRIPTION_INPUT_TOKENS,
            UsageField.TRANSCRIPTION_OUTPUT_TOKENS, UsageField.TRANSCRIPTION_TOTAL_TOKENS);

    private ReportedUsage() {
    }

    /** Whether events of this type carry usage. */
    public static boolean reportedBy(String eventType) {
        return "response.done".equals(eventType) || TRANSCRIPTION_COMPLETED.equals(eventType);
    }

    /** The usage {@code event} reports; null when it reports none (another type, or no usage object). */
    public static Usage of(JsonNode event) {
        String type = event.path("type").asText("");
        if (!reportedBy(type)) {
            return null;
        }
        boolean transcription = TRANSCRIPTION_COMPLETED.equals(type);
        JsonNode usage = transcription ? event.path("usage") : event.path("response").path("usage");
        if (!usage.isObject()) {
            return null;
        }
        Usage.Builder sum = Usage.builder();
        if (!transcription) {
            sum.add(UsageField.RESPONSES, 1);
            RESPONSE_FIELDS.forEach(field -> addAt(sum, field, usage));
        } else if ("duration".equals(usage.path("type").asText(null))) {
            sum.add(UsageField.TRANSCRIPTION_MILLIS, Math.max(0, Math.round(usage.path("seconds").asDouble() * 1000)));
        } else {
            TRANSCRIPTION_FIELDS.forEach(field -> addAt(sum, field, usage));
        }
        return sum.build();
    }

    private static void addAt(Usage.Builder sum, UsageField field, JsonNode usage) {
        JsonNode value = usage;
        for (String step : field.path().split("\\.")) {
            value = value.path(step);
        }
        if (value.canConvertToLong() && value.asLong() > 0) {
            sum.add(field, value.asLong());
        }
    }
}
