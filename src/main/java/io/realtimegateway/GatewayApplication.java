package io.realtimegateway;

import jakarta.inject.Inject;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.realtimegateway.preflight.CheckCommand;

/** Exit codes: 0 served or all checks passed, 1 failed to start (config error or refused boot), 2 usage error, 3 a check failed. */
public class GatewayApplication implements QuarkusApplication {

    static final String CHECK = "check";

    @Inject
    CheckCommand checkCommand;

    @Override
    public int run(String... args) {
        if (args.length > 0 && CHECK.equals(args[0])) {
            return checkCommand.run(args);
        }
        if (args.length > 0) {
            System.err.println("Unknown command '" + args[0] + "'. Usage: [check [--json]]");
            return CheckCommand.EXIT_USAGE;
        }
        Quarkus.waitForExit();
        return 0;
    }
}
