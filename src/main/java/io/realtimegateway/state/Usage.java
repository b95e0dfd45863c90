package io.realtimegateway.state;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** Token counters (see {@link UsageField}); absent counters are zero. Immutable. */
public record Usage(Map<UsageField, Long> counts) {

    public static final Usage NONE = new Usage(Map.of());

    public Usage {
        EnumMap<UsageField, Long> copy = new EnumMap<>(UsageField.class);
        counts.forEach((field, value) -> {
            if (value != null && value != 0) {
                copy.put(field, value);
            }
        });
        counts = Collections.unmodifiableMap(copy);
    }

    public static Builder builder() {
        return new Builder();
    }

    public long get(UsageField field) {
        return counts.getOrDefault(field, 0L);
    }

    /** What a token budget counts: the responses' total tokens plus the transcriptions' total tokens. */
    public long billableTokens() {
        return get(UsageField.TOTAL_TOKENS) + get(UsageField.TRANSCRIPTION_TOTAL_TOKENS);
    }

    public Usage plus(Usage other) {
        Builder sum = builder();
        counts.forEach(sum::add);
        other.counts.forEach(sum::add);
        return sum.build();
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }

    /** Collects counters; adding to the same field sums. */
    public static final class Builder {
        private final EnumMap<UsageField, Long> counts = new EnumMap<>(UsageField.class);

        public Builder add(UsageField field, long value) {
            if (value < 0) {
                throw new IllegalArgumentException(field.key() + " must not be negative");
            }
            counts.merge(field, value, Long::sum);
            return this;
        }

        public Usage build() {
            return new Usage(counts);
        }
    }
}
