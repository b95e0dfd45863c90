package io.realtimegateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.realtimegateway.testing.ProdEnv;
import io.realtimegateway.testing.RelayJar;
import io.realtimegateway.testing.SdkClients;
import io.realtimegateway.testing.Secrets;

/**
 * schemathesis (PyPI, in a venv that scripts/install-sdk-clients.sh creates) against {@code /q/openapi} of the
 * packaged jar in prod mode (served on the management port with {@code GATEWAY_API_DOCS=true}; the operations are
 * called on the public port): every operation, authenticated, with a bounded number of examples. It passes when no
 * answer is a 5xx, every 4xx is problem+json, every status and content type is the documented one, and no
 * configured secret appears in any answer (src/test/python/fuzz/gateway_checks.py).
 */
class OpenApiFuzzIT {

    /** Tokens and tickets are the endpoints' purpose, but test output must not carry them either. */
    private static final Pattern CREDENTIALS = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_.-]+|ek_[A-Za-z0-9_.-]+");

    /**
     * The valid prod configuration, with OpenAI played by the fake: the endpoints that ask OpenAI (WebRTC calls,
     * client secrets) get real answers. The fuzzer holds no ticket, so it never opens a relay session or a call.
     */
    private static RelayJar jar;
    private static ProdEnv env;
    private static String baseUrl;
    private static String managementUrl;

    @BeforeAll
    static void startGateway() {
        jar = RelayJar.start(valid -> valid.with("GATEWAY_API_DOCS", "true"));
        env = jar.env();
        baseUrl = jar.gateway().awaitListening();
        managementUrl = jar.gateway().awaitManagement();
    }

    @AfterAll
    static void stopGateway() {
        if (jar != null) {
            jar.close();
        }
    }

    @Test
    void everyOperationAnswersWithinItsContract() {
        Path fuzz = SdkClients.install("fuzz").resolve("fuzz");
        SdkClients.Run run = SdkClients.run(List.of(fuzz.resolve("venv/bin/schemathesis").toString(), "run",
                managementUrl + "/q/openapi",
                "--url", baseUrl,
                "--header", "Authorization: Bearer " + env.callerKey(),
                "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,errors_are_problem_json,no_secret_in_answer",
                "--max-examples", "40",
                "--max-time", "90",
                "--workers", "1",
                "--seed", "20261201",
                "--request-timeout", "10",
                "--no-color"),
                Map.of("SCHEMATHESIS_HOOKS", "gateway_checks",
                        "PYTHONPATH", fuzz.toString(),
                        "FUZZ_SECRETS", String.join("\n", env.secrets())),
                300, workDir());
        String output = redact(run.output());
        assertThat(run.exitCode()).as("schemathesis found contract violations:\n%s", output).isZero();
        assertThat(output).as("every operation was tested").contains("Tested: 10"); // with POST /v1/live/sessions and DELETE /api/realtime/tickets/{id}
        assertThat(jar.gateway().isAlive()).isTrue();
    }

    /** schemathesis keeps a cache in its working directory: under target/, not in the project. */
    private static Path workDir() {
        try {
            return Files.createDirectories(Path.of("target", "fuzz").toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String redact(String output) {
        return Secrets.redact(CREDENTIALS.matcher(output).replaceAll("<credential redacted>"), env.secrets().toArray(String[]::new));
    }
}
