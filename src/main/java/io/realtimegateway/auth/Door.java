package io.realtimegateway.auth;

import java.util.Set;

/**
 * The doors that take a caller or admin credential, by path: a credential is bound to its doors. The ticket doors (the
 * relay upgrade, WebRTC calls, the console feed) are not here; no caller or admin credential is read there, and no ticket
 * opens a door here.
 */
enum Door {
    /** {@code /api/*} and OpenAI's client-secret path: the caller credential of {@code GATEWAY_AUTH_MODE}. */
    CALLER,
    /** The admin endpoints of the public port: an admin key in prod (404 without any), a caller elsewhere. */
    ADMIN,
    /** The console on the management port: as {@link #ADMIN}, and a browser is challenged for HTTP Basic. */
    CONSOLE;

    private static final Set<String> ADMIN_PATHS = Set.of("/api/livekit-token/test", "/api/realtime/usage");
    /** Revocation of reusable relay tickets, {@code /api/realtime/tickets/{id}}. */
    private static final String ADMIN_TICKETS = "/api/realtime/tickets/";
    private static final Set<String> CALLER_PATHS = Set.of("/v1/realtime/client_secrets");

    /** The door of a normalized request path, or null when the path takes no caller or admin credential. */
    static Door of(String path) {
        if (path == null) {
            return null;
        }
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (ADMIN_PATHS.contains(p) || p.startsWith(ADMIN_TICKETS)) {
            return ADMIN;
        }
        if (p.startsWith("/api/") || CALLER_PATHS.contains(p)) {
            return CALLER;
        }
        // the console's page, assets and API; not its feed (/console/feed), which takes a ticket on the public port
        if (p.equals("/console") || p.startsWith("/console/assets/") || p.startsWith("/console/api/")) {
            return CONSOLE;
        }
        return null;
    }
}
