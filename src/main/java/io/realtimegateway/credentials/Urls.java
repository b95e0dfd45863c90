package io.realtimegateway.credentials;

/** URL helpers shared by the LiveKit and OpenAI settings. */
public final class Urls {

    private Urls() {
    }

    /** {@code https://host/v1/} becomes {@code https://host/v1}, so a path can be appended. */
    public static String stripTrailingSlashes(String url) {
        String result = url;
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }
}
