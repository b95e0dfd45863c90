package io.realtimegateway.preflight;

/** Outcome of one startup check, from best to worst. */
public enum CheckStatus {
    OK,
    WARN,
    FAIL;

    /** The worse of two outcomes. */
    public CheckStatus worst(CheckStatus other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
