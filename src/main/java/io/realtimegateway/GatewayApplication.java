package io.realtimegateway;

import java.util.List;

import jakarta.inject.Inject;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.realtimegateway.preflight.CheckCommand;

/**
 * Exit codes: 0 served, all checks passed or help, 1 failed to start (config error or refused boot), 2 usage error,
 * 3 a check failed. The packaged app answers help and usage errors in {@link GatewayMain} before booting; dev mode
 * ({@code -Dquarkus.args}) comes here directly.
 */
public class GatewayApplication implements QuarkusApplication {

    static final String CHECK = "check";

    @Inject
    CheckCommand checkCommand;

    @Override
    public int run(String... args) {
        GatewayMain.Command command = GatewayMain.parse(List.of(args));
        return switch (command.kind()) {
            case CHECK -> checkCommand.run(args);
            case HELP, USAGE_ERROR -> GatewayMain.answer(command);
            case SERVE -> {
                Quarkus.waitForExit();
                yield 0;
            }
        };
    }
}
