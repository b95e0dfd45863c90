package io.realtimegateway.credentials;

/**
 * One LiveKit API key and its secret, with where it came from (e.g. {@code LIVEKIT_KEYS line 2}).
 * {@link #toString()} shows a fingerprint, so a key pair can be logged safely by accident.
 */
public record LiveKitKey(String apiKey, String secret, String source) {

    @Override
    public String toString() {
        return "LiveKitKey[" + apiKey + ", secret " + Fingerprint.of(secret) + ", from " + source + "]";
    }
}
