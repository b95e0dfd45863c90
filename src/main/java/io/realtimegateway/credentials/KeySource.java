package io.realtimegateway.credentials;

import java.util.List;

/**
 * The LiveKit keys one configuration source yields ({@code LIVEKIT_API_KEY/LIVEKIT_API_SECRET},
 * {@code LIVEKIT_KEYS}, {@code livekit.yaml}) and what was wrong while reading it.
 *
 * @param name how operators know the source, e.g. {@code LIVEKIT_KEYS}
 * @param keys the key pairs livekit-server would accept from it (values it would drop are left out)
 * @param problems what is malformed, in reading order
 */
public record KeySource(String name, List<LiveKitKey> keys, List<KeyProblem> problems) {

    static final String ENV_PAIR = "LIVEKIT_API_KEY/LIVEKIT_API_SECRET";
    static final String ENV_KEYS = "LIVEKIT_KEYS";

    public KeySource {
        keys = List.copyOf(keys);
        problems = List.copyOf(problems);
    }

    /** True for livekit.yaml: what livekit-server itself accepts, the source of truth. */
    public boolean isServerConfig() {
        return !ENV_PAIR.equals(name) && !ENV_KEYS.equals(name);
    }
}
