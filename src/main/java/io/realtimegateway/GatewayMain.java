package io.realtimegateway;

import java.util.List;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.realtimegateway.credentials.SecretLint;
import io.realtimegateway.preflight.Causes;
import io.realtimegateway.preflight.CheckCommand;

/**
 * Serves by default; {@code check [--json]} runs every startup check, prints the report and exits
 * (see {@link GatewayApplication} for the exit codes) without opening any port. The arguments are read here, before
 * Quarkus starts, so that help and usage errors are answered without booting anything.
 */
@QuarkusMain
public class GatewayMain {

    static final String USAGE = """
            Usage: java -jar quarkus-run.jar [check [--json]]
              (no argument)   serve: the public API (PORT, 8080) and the management interface (GATEWAY_MANAGEMENT_PORT, 9000)
              check           run every startup check, print the report, exit 0 (no FAIL) or 3 (a FAIL); opens no port
              check --json    the same report as JSON
              -h, --help      this text
            """;

    /** What the arguments ask for; {@code error} is set for a usage error only. */
    record Command(Kind kind, String error) {
        enum Kind {
            SERVE,
            CHECK,
            HELP,
            USAGE_ERROR
        }
    }

    public static void main(String... args) {
        Command command = parse(List.of(args));
        switch (command.kind()) {
            case HELP, USAGE_ERROR -> System.exit(answer(command));
            case CHECK -> {
                // Read at runtime init, before any server would open its port: check serves nothing. With both the public
                // and the management server disabled, Quarkus starts no HTTP server at all, so a port taken by a running
                // gateway cannot make check fail, and nothing answers (not even /q/health) while it runs.
                System.setProperty("gateway.mode", "check");
                System.setProperty("quarkus.http.host-enabled", "false");
                System.setProperty("quarkus.management.host-enabled", "false");
                // stdout carries the report (possibly JSON for a CI gate); logs must not mix into it.
                System.setProperty("quarkus.log.console.stderr", "true");
            }
            case SERVE -> {
                // nothing to set
            }
        }
        Quarkus.run(GatewayApplication.class, GatewayMain::exit, args);
    }

    /** Help (exit 0) or a usage error (exit 2): the usage on stdout, the error on stderr. */
    static int answer(Command command) {
        if (command.error() != null) {
            System.err.println(command.error());
        }
        System.out.print(USAGE);
        return command.kind() == Command.Kind.HELP ? 0 : CheckCommand.EXIT_USAGE;
    }

    static Command parse(List<String> args) {
        if (args.isEmpty()) {
            return new Command(Command.Kind.SERVE, null);
        }
        if (args.contains("-h") || args.contains("--help")) {
            return new Command(Command.Kind.HELP, null);
        }
        if (!GatewayApplication.CHECK.equals(args.get(0))) {
            return new Command(Command.Kind.USAGE_ERROR, "Unknown command '" + SecretLint.printable(args.get(0)) + "'.");
        }
        List<String> options = args.subList(1, args.size());
        for (String option : options) {
            if (!option.equals("--json")) {
                return new Command(Command.Kind.USAGE_ERROR, "Unknown option '" + SecretLint.printable(option) + "' for check.");
            }
        }
        if (options.size() > 1) {
            return new Command(Command.Kind.USAGE_ERROR, "--json is given more than once.");
        }
        return new Command(Command.Kind.CHECK, null);
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
