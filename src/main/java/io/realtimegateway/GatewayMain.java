package io.realtimegateway;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.realtimegateway.preflight.Causes;

/**
 * Serves by default; {@code check [--json]} runs every startup check, prints the report and exits
 * (see {@link GatewayApplication} for the exit codes) without serving traffic.
 */
@QuarkusMain
public class GatewayMain {

    public static void main(String... args) {
        if (args.length > 0 && GatewayApplication.CHECK.equals(args[0])) {
            // Both are read at runtime init, before the HTTP server would open its port.
            System.setProperty("gateway.mode", "check");
            System.setProperty("quarkus.http.host-enabled", "false");
            // stdout carries the report (possibly JSON for a CI gate); logs must not mix into it.
            System.setProperty("quarkus.log.console.stderr", "true");
        }
        Quarkus.run(GatewayApplication.class, GatewayMain::exit, args);
    }

    /** A refused boot prints one readable report instead of a stack trace. */
    private static void exit(int exitCode, Throwable failure) {
        if (failure != null) {
            // Logging may already be shut down here; stderr is the only channel that is sure to be read.
            System.err.println(Causes.root(failure).getMessage());
        }
        System.exit(exitCode);
    }
}
