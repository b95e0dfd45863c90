package io.realtimegateway.deploy;

/** Image references must say exactly what runs: an explicit tag (never {@code latest}) or a digest. */
final class ImageReference {

    private ImageReference() {
    }

    /** Why {@code reference} is not pinned, or null when it is. */
    static String problem(String reference) {
        if (reference.contains("@sha256:")) {
            return null;
        }
        int lastSlash = reference.lastIndexOf('/');
        int colon = reference.indexOf(':', lastSlash + 1);
        if (colon < 0) {
            return "untagged (means latest)";
        }
        String tag = reference.substring(colon + 1);
        if (tag.isEmpty() || tag.equalsIgnoreCase("latest") || tag.contains("$")) {
            return "tag '" + tag + "' is not pinned";
        }
        return null;
    }
}
