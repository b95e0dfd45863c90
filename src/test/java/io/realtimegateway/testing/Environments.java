package io.realtimegateway.testing;

import io.realtimegateway.config.Environment;

/** {@link Environment} with a fixed answer, for unit tests that build a check or an authenticator by hand. */
public final class Environments {

    /** No dev shortcut applies. */
    public static final Environment PROD = () -> false;

    /** What the dev and test profiles set ({@code gateway.dev-mode=true}). */
    public static final Environment DEV = () -> true;

    private Environments() {
    }
}
