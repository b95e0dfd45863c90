package io.realtimegateway.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.testing.GatewayProcess;
import io.realtimegateway.testing.ProdEnv;
import io.realtimegateway.testing.Secrets;

/**
 * Startup tests: the packaged jar with misconfigurations seen in the field (secrets damaged on their way into the
 * environment, keys livekit-server would refuse or drop, wrong URL schemes), each a change to {@link ProdEnv#valid()}.
 * Each must refuse to boot (prod profile) with exit 1, one report naming the check, the fault and the fix, no stack
 * trace, and none of the secrets it was given.
 */
class StartupIT {

    /** One misconfiguration: how it changes the valid baseline, and what the report must say. */
    record Misconfiguration(String title, Consumer<Setup> change, String check, String fault, String fix) {
        @Override
        public String toString() {
            return title;
        }
    }

    /** The environment under construction and a directory for files (livekit.yaml, key files). */
    record Setup(ProdEnv env, Path dir) {
        String secret() {
            return env.get("LIVEKIT_API_SECRET");
        }

        Path write(String name, String text) {
            try {
                Path file = dir.resolve(name);
                Files.writeString(file, text);
                return file;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Stream<Arguments> misconfigurations() {
        String strong = Secrets.random(40);
        return Stream.of(
                new Misconfiguration("short secret", s -> s.env().with("LIVEKIT_API_SECRET", Secrets.random(12)),
                        "livekit.secret.length", "under LiveKit's floor of 32", "openssl rand -base64 32"),
                new Misconfiguration("trailing whitespace", s -> s.env().with("LIVEKIT_API_SECRET", s.secret() + " "),
                        "livekit.secret.format", "has trailing whitespace", "without quotes, spaces or line breaks"),
                new Misconfiguration("quotes kept from .env", s -> s.env().with("LIVEKIT_API_SECRET", "\"" + s.secret() + "\""),
                        "livekit.secret.format", "wrapped in quotes", "without quotes"),
                new Misconfiguration("CRLF from a Windows file", s -> s.env().with("LIVEKIT_API_SECRET", s.secret() + "\r"),
                        "livekit.secret.format", "line break (CR/LF)", "LF endings"),
                new Misconfiguration("zero-width space", s -> s.env().with("LIVEKIT_API_SECRET", "\u200B" + s.secret()),
                        "livekit.secret.format", "at position 1", "without quotes, spaces or line breaks"),
                new Misconfiguration("all-digit secret", s -> s.env().with("LIVEKIT_API_SECRET", "1234567890".repeat(4)),
                        "livekit.secret.digits", "all digits", "openssl rand -base64 32"),
                new Misconfiguration("all-digit secret in LIVEKIT_KEYS", s -> {
                    s.env().without("LIVEKIT_API_KEY");
                    s.env().without("LIVEKIT_API_SECRET");
                    s.env().with("LIVEKIT_KEYS", "APIdigits: " + "9876543210".repeat(4));
                }, "livekit.secret.digits", "silently drops", "openssl rand -base64 32"),
                new Misconfiguration("LIVEKIT_KEYS without the space", s -> {
                    s.env().without("LIVEKIT_API_KEY");
                    s.env().without("LIVEKIT_API_SECRET");
                    s.env().with("LIVEKIT_KEYS", "APInospace:" + strong);
                }, "livekit.keys.format", "line 1 is not \"key: secret\"", "space after the colon"),
                new Misconfiguration("second LIVEKIT_KEYS line without the space", s -> s.env().with("LIVEKIT_KEYS",
                        s.env().get("LIVEKIT_API_KEY") + ": " + s.secret() + "\nAPIsecond:" + strong),
                        "livekit.keys.format", "line 2 is not", "space after the colon"),
                new Misconfiguration("key not in livekit.yaml", s -> s.env().with("LIVEKIT_CONFIG_FILE",
                        s.write("livekit.yaml", "port: 7880\nkeys:\n  APIserverOnly: " + strong + "\n").toString()),
                        "livekit.keys.agree", "livekit-server would answer \"invalid API key\"", "use one of the keys of livekit.yaml"),
                new Misconfiguration("secret differs from livekit.yaml", s -> s.env().with("LIVEKIT_CONFIG_FILE",
                        s.write("livekit.yaml", "keys:\n  " + s.env().get("LIVEKIT_API_KEY") + ": " + strong + "\n").toString()),
                        "livekit.keys.agree", "different secrets", "use the same secret"),
                new Misconfiguration("key_file readable by others", s -> {
                    Path keyFile = s.write("keys.yaml", s.env().get("LIVEKIT_API_KEY") + ": " + s.secret() + "\n");
                    setPermissions(keyFile, "rw-r--r--");
                    s.env().with("LIVEKIT_CONFIG_FILE", s.write("livekit.yaml", "key_file: " + keyFile + "\n").toString());
                }, "livekit.key-file.permissions", "key file others permissions must be set to 0", "chmod o-rwx"),
                new Misconfiguration("the secret placeholder of .env.example", s -> s.env().with("LIVEKIT_API_SECRET", shipped(".env.example")),
                        "livekit.secret.public", "from LIVEKIT_API_KEY/LIVEKIT_API_SECRET is public: a placeholder",
                        "in LIVEKIT_API_SECRET (.env under docker compose): generate one with: openssl rand -base64 32"),
                new Misconfiguration("livekit.yaml as shipped", s -> s.env().withoutLiveKitKeys().with("LIVEKIT_CONFIG_FILE",
                        Path.of(System.getProperty("e2e.basedir", "."), "livekit.yaml").toAbsolutePath().toString()),
                        "livekit.secret.public", "from livekit.yaml (", "generate one with: openssl rand -base64 32"),
                new Misconfiguration("this project's former example secret", s -> s.env().with("LIVEKIT_API_SECRET",
                        "exampleSecretChangeMe0123456789abcdefGHIJ"),
                        "livekit.secret.public", "the example secret this project's .env.example and livekit.yaml shipped", "openssl rand -base64 32"),
                new Misconfiguration("a placeholder caller key", s -> s.env().with("GATEWAY_AUTH_API_KEYS", "your_api_key_here"),
                        "auth.api-keys", "is public: a placeholder", "openssl rand -base64 32"),
                new Misconfiguration("a placeholder ticket secret", s -> s.env().with("GATEWAY_REALTIME_TICKET_SECRET", "<openssl rand -base64 32>"),
                        "realtime.ticket-secret", "is public: a placeholder", "openssl rand -base64 32"),
                new Misconfiguration("a placeholder OpenAI key", s -> s.env().with("OPENAI_API_KEY", "sk-proj-" + "xxxxxxxxxxxxxxxxxxxxxxxx"),
                        "openai.api-key.format", "is public: a placeholder", "platform.openai.com/api-keys"),
                new Misconfiguration("http URL where ws is needed", s -> s.env().with("LIVEKIT_URL", "http://127.0.0.1:7880"),
                        "livekit.url", "uses http://", "use ws:// or wss://; the gateway derives http(s)"),
                new Misconfiguration("https URL", s -> s.env().with("LIVEKIT_URL", "https://livekit.example.com"),
                        "livekit.url", "uses https://", "wss://livekit.example.com"),
                new Misconfiguration("missing URL", s -> s.env().without("LIVEKIT_URL"),
                        "livekit.url", "LIVEKIT_URL is not set", "set LIVEKIT_URL"),
                new Misconfiguration("no keys at all", s -> {
                    s.env().without("LIVEKIT_API_KEY");
                    s.env().without("LIVEKIT_API_SECRET");
                }, "livekit.keys.present", "one of key-file or keys must be provided", "set LIVEKIT_API_KEY and LIVEKIT_API_SECRET"),
                new Misconfiguration("secret without its key", s -> s.env().without("LIVEKIT_API_KEY"),
                        "livekit.keys.present", "LIVEKIT_API_SECRET is set but LIVEKIT_API_KEY is not", "set LIVEKIT_API_KEY"),
                new Misconfiguration("missing OpenAI key in prod", s -> s.env().without("OPENAI_API_KEY"),
                        "openai.api-key", "OPENAI_API_KEY is not set", "set OPENAI_API_KEY or GATEWAY_REALTIME_ENABLED=false"),
                new Misconfiguration("OpenAI admin key", s -> s.env().with("OPENAI_API_KEY", "sk-admin-" + strong),
                        "openai.api-key.format", "admin key", "project API key"),
                new Misconfiguration("OpenAI key that is not sk-", s -> s.env().with("OPENAI_API_KEY", "ek_" + strong),
                        "openai.api-key.format", "ephemeral client secret", "sk-proj-"),
                new Misconfiguration("OpenAI key with a trailing newline", s -> s.env().with("OPENAI_API_KEY", s.env().get("OPENAI_API_KEY") + "\n"),
                        "openai.api-key.format", "line break", "without quotes, spaces or line breaks"),
                new Misconfiguration("OPENAI_BASE_URL with ws scheme", s -> s.env().with("OPENAI_BASE_URL", "wss://api.openai.com/v1"),
                        "openai.base-url", "not an http(s) URL", "https://api.openai.com/v1"))
                .map(Arguments::of);
    }

    /** The LIVEKIT_API_SECRET line of the project's .env.example, as cp .env.example .env hands it over. */
    private static String shipped(String envFile) {
        try {
            return Files.readAllLines(Path.of(System.getProperty("e2e.basedir", "."), envFile)).stream()
                    .filter(l -> l.startsWith("LIVEKIT_API_SECRET=")).findFirst().orElseThrow().substring("LIVEKIT_API_SECRET=".length());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misconfigurations")
    void refusesToBootNamingFaultAndFix(Misconfiguration bad, @TempDir Path dir) throws Exception {
        Setup setup = new Setup(ProdEnv.valid(), dir);
        bad.change().accept(setup);

        GatewayProcess.Result result = GatewayProcess.run(setup.env(), dir);

        String output = result.output();
        assertThat(result.exitCode()).as("exit code; output:%n%s", output).isEqualTo(1);
        assertThat(output).contains("Refusing to start").contains(bad.check()).contains(bad.fault()).contains(bad.fix());
        assertThat(failedLine(output, bad.check())).as("the check's own line is a FAIL").startsWith("FAIL");
        assertThat(output).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(output).as("started serving").doesNotContain("Listening on");
        assertNoSecret(output, setup, dir);
    }

    @Test
    void checkExitsThreeOnAFailAndServesNothing(@TempDir Path dir) throws Exception {
        ProdEnv env = ProdEnv.valid();
        env.with("LIVEKIT_URL", "http://127.0.0.1:7880");

        GatewayProcess.Result result = GatewayProcess.run(env, dir, "check");

        assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
        assertThat(result.stdout()).contains("FAIL livekit.url").contains("use ws:// or wss://");
        assertThat(result.output()).doesNotContain("Listening on: http");
        assertNoSecret(result.output(), new Setup(env, dir), dir);
    }

    @Test
    void checkJsonOnAValidConfigurationExitsZeroAndParses(@TempDir Path dir) throws Exception {
        ProdEnv env = ProdEnv.valid();

        GatewayProcess.Result result = GatewayProcess.run(env, dir, "check", "--json");

        assertThat(result.exitCode()).as(result.output()).isZero();
        JsonNode report = new ObjectMapper().readTree(result.stdout());
        assertThat(report.get("status").asText()).isIn("OK", "WARN");
        assertThat(report.get("checked_at").asText()).isNotBlank();
        List<String> names = new ArrayList<>();
        for (JsonNode check : report.get("checks")) {
            assertThat(check.has("name") && check.has("status") && check.has("message") && check.has("fix")).as(check.toString()).isTrue();
            names.add(check.get("name").asText());
        }
        assertThat(names).contains("livekit.keys.present", "livekit.secret.length", "livekit.url", "openai.api-key");
        assertNoSecret(result.output(), new Setup(env, dir), dir);
    }

    /** SmallRye Config would expand ${HOME} inside the env value; the gateway must sign with the bytes as set. */
    @Test
    void secretsAreReadRawWithoutExpressionExpansion(@TempDir Path dir) throws Exception {
        ProdEnv env = ProdEnv.valid();
        String secret = Secrets.random(20) + "${HOME}\\$" + Secrets.random(20);
        env.with("LIVEKIT_API_SECRET", secret);

        GatewayProcess.Result result = GatewayProcess.run(env, dir, "check");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains(io.realtimegateway.credentials.Fingerprint.of(secret));
        assertNoSecret(result.output(), new Setup(env, dir), dir);
    }

    /**
     * The gateway's own secrets are read raw too: {@code ${HOME}}, an unset {@code ${VARIABLE}} and {@code \$} inside
     * GATEWAY_AUTH_API_KEYS, GATEWAY_ADMIN_API_KEYS, GATEWAY_REALTIME_TICKET_SECRET and GATEWAY_AUTH_JWT_SECRET are
     * neither expanded nor unescaped, and never stop the boot: the report fingerprints the bytes as set, and the
     * caller and admin keys as set are the ones accepted.
     */
    @Test
    void gatewaySecretsAreReadRawWithoutExpressionExpansion(@TempDir Path dir) throws Exception {
        String callerKey = Secrets.random(20) + "${HOME}\\$" + Secrets.random(20);
        String adminKey = Secrets.random(20) + "${GATEWAY_NO_SUCH_VARIABLE}" + Secrets.random(20);
        String ticketSecret = Secrets.random(20) + "\\${HOME}" + Secrets.random(20);
        ProdEnv env = ProdEnv.valid().with("GATEWAY_AUTH_API_KEYS", callerKey).with("GATEWAY_ADMIN_API_KEYS", adminKey)
                .with("GATEWAY_REALTIME_TICKET_SECRET", ticketSecret);

        GatewayProcess.Result check = GatewayProcess.run(env, dir, "check");
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.stdout()).contains(Fingerprint.of(callerKey)).contains(Fingerprint.of(adminKey)).contains(Fingerprint.of(ticketSecret))
                .doesNotContain("SRCFG");
        assertNoSecret(check.output(), new Setup(env, dir), dir);

        try (GatewayProcess gateway = GatewayProcess.start(env, dir)) {
            assertThat(gateway.postJson("/api/livekit/token", "{}", callerKey).statusCode()).as(gateway.redactedOutput()).isEqualTo(201);
            assertThat(gateway.get("/api/livekit-token/test", adminKey).statusCode()).isEqualTo(200);
        }

        String jwtSecret = Secrets.random(20) + "${HOME}" + Secrets.random(20);
        ProdEnv jwt = ProdEnv.valid().without("GATEWAY_AUTH_API_KEYS").with("GATEWAY_AUTH_MODE", "jwt").with("GATEWAY_AUTH_JWT_SECRET", jwtSecret)
                .with("GATEWAY_AUTH_JWT_AUDIENCE", "realtime-gateway").with("GATEWAY_AUTH_JWT_ISSUER", "https://idp.example.test");
        GatewayProcess.Result jwtCheck = GatewayProcess.run(jwt, dir, "check");
        assertThat(jwtCheck.exitCode()).as(jwtCheck.output()).isZero();
        assertThat(jwtCheck.stdout()).contains("HS256 secret " + Fingerprint.of(jwtSecret));
    }

    /**
     * Arguments are answered before anything boots. The environment carries a malformed setting, which stops a boot
     * with a named error: an answer without it shows that nothing booted.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "chek | 2 | Unknown command 'chek'.",
            "check --yaml | 2 | Unknown option '--yaml' for check.",
            "check --json --json | 2 | --json is given more than once.",
            "--json | 2 | Unknown command '--json'.",
            "-h | 0 | ''",
            "--help | 0 | ''",
            "check --help | 0 | ''" })
    void argumentsAreAnsweredBeforeAnythingBoots(String arguments, int exitCode, String error, @TempDir Path dir) {
        ProdEnv env = ProdEnv.valid().with("GATEWAY_PREFLIGHT_ONLINE", "yes please");

        GatewayProcess.Result result = GatewayProcess.run(env, dir, arguments.split(" "));

        assertThat(result.exitCode()).as(result.output()).isEqualTo(exitCode);
        assertThat(result.stdout()).startsWith("Usage: java -jar quarkus-run.jar [check [--json]]").contains("-h, --help");
        assertThat(result.stderr().strip()).isEqualTo(error);
        assertThat(result.output()).as("nothing booted").doesNotContain("GATEWAY_PREFLIGHT_ONLINE").doesNotContain("Quarkus");
    }

    /**
     * check opens no port: with the public and the management port of its configuration taken (a gateway already
     * serving there), it still runs every check, and no server starts.
     */
    @Test
    void checkOpensNoPortSoTakenPortsDoNotStopIt(@TempDir Path dir) throws Exception {
        try (ServerSocket http = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ServerSocket management = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ProdEnv env = ProdEnv.valid().with("PORT", String.valueOf(http.getLocalPort()))
                    .with("GATEWAY_MANAGEMENT_PORT", String.valueOf(management.getLocalPort()));

            GatewayProcess.Result result = GatewayProcess.run(env, dir, "check");

            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.stdout()).contains("OK   livekit.url");
            assertThat(result.output()).doesNotContain("Address already in use").doesNotContainIgnoringCase("listening");
        }
    }

    /**
     * Quarkus opens the HTTP socket in a build step that consumes ApplicationStartBuildItem, i.e. after the
     * StartupEvent observers (BootGate) returned. This shows it from outside: while a refused boot runs, nothing
     * ever accepts a connection on its port; the same probe does connect to a gateway that boots.
     */
    @Test
    void refusedBootNeverAcceptsAConnection(@TempDir Path dir) throws Exception {
        ProdEnv env = ProdEnv.valid();
        env.with("LIVEKIT_API_SECRET", Secrets.random(10));
        int port = freePort();
        env.with("QUARKUS_HTTP_PORT", String.valueOf(port));

        try (GatewayProcess gateway = GatewayProcess.start(env, dir)) {
            int accepted = 0;
            while (gateway.isAlive()) {
                if (connects(port)) {
                    accepted++;
                }
                gateway.awaitExit(20, TimeUnit.MILLISECONDS);
            }
            int exitCode = gateway.awaitExit(GatewayProcess.TIMEOUT_SECONDS);
            assertThat(exitCode).as(gateway.output()).isEqualTo(1);
            assertThat(accepted).as("connections accepted by a gateway that refused to boot").isZero();
        }
    }

    @Test
    void validConfigurationBootsAndIsLiveAndReady(@TempDir Path dir) throws Exception {
        ProdEnv env = ProdEnv.valid();
        int port = freePort();
        env.with("QUARKUS_HTTP_PORT", String.valueOf(port));

        try (GatewayProcess gateway = GatewayProcess.start(env, dir)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GatewayProcess.TIMEOUT_SECONDS);
            while (!connects(port)) {
                assertThat(gateway.isAlive()).as("the gateway exited:%n%s", gateway.output()).isTrue();
                assertThat(System.nanoTime()).as("the gateway never listened").isLessThan(deadline);
                gateway.awaitExit(100, TimeUnit.MILLISECONDS);
            }
            // Health is on the management interface only: the public port answers 404 for it.
            HttpClient http = HttpClient.newHttpClient();
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            HttpResponse<String> live = gateway.management("/q/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            HttpResponse<String> ready = gateway.management("/q/health/ready");
            JsonNode preflight = null;
            for (JsonNode check : new ObjectMapper().readTree(ready.body()).get("checks")) {
                if ("preflight".equals(check.get("name").asText())) {
                    preflight = check;
                }
            }
            assertThat(preflight).as(ready.body()).isNotNull();
            assertThat(preflight.get("status").asText()).isEqualTo("UP");
            assertThat(preflight.get("data").get("livekit").asText()).isEqualTo("UP");
            assertThat(preflight.get("data").get("openai").asText()).isEqualTo("UP");
            assertNoSecret(ready.body() + gateway.output(), new Setup(env, dir), dir);
        }
    }

    private static String failedLine(String output, String check) {
        return output.lines().map(String::strip).filter(l -> l.matches("(OK|WARN|FAIL)\\s+" + java.util.regex.Pattern.quote(check) + "\\s.*"))
                .findFirst().orElse("<no line for " + check + ">");
    }

    /** No secret-bearing value of the environment, nor of a written key file, appears, not even trimmed. */
    private static void assertNoSecret(String output, Setup setup, Path dir) throws IOException {
        List<String> secrets = new ArrayList<>();
        for (String value : setup.env().secrets()) {
            secrets.add(value);
            String stripped = value.strip().replace("\"", "").replace("\u200B", "");
            secrets.add(stripped);
            for (String part : stripped.split("[\\s:]+")) {
                if (part.length() >= 10 && !part.startsWith("API")) { // API... are key names, which are not secret
                    secrets.add(part);
                }
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    String[] parts = line.split(": ", 2);
                    if (parts.length == 2 && parts[1].length() >= 10 && !parts[1].startsWith("/")) {
                        secrets.add(parts[1].strip());
                    }
                }
            }
        }
        for (String secret : secrets) {
            if (!secret.isBlank()) {
                assertThat(output).as("output leaks a secret").doesNotContain(secret);
            }
        }
    }

    private static void setPermissions(Path file, String permissions) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean connects(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) Duration.ofMillis(200).toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
