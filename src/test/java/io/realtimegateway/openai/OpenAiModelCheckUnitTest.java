package io.realtimegateway.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.runtime.configuration.DurationConverter;
import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.preflight.PreflightConfig;
import io.realtimegateway.realtime.RealtimeConfig;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.LogCapture;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Each branch of {@code openai.model-access} without booting the gateway: against the fake OpenAI upstream (models,
 * key rejection, the Realtime fallback, quota) or a small local server for answers the fake does not give (rate limit,
 * other 403s, 5xx, unexpected statuses). Every result is checked for the key, fragments of it and OpenAI's 401 text.
 */
class OpenAiModelCheckUnitTest {

    private static final String KEY = FakeOpenAiUpstream.API_KEY;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static FakeOpenAiUpstream upstream;
    private static FakeOpenAiUpstream.Control fake;
    private static String fakeBase;
    private static Vertx vertx;

    @BeforeAll
    static void startFake() {
        vertx = Vertx.vertx();
        upstream = new FakeOpenAiUpstream();
        upstream.init(Map.of());
        Map<String, String> config = upstream.start();
        fakeBase = config.get("gateway.openai.base-url");
        fake = new FakeOpenAiUpstream.Control(config.get("fake.openai.control-url"));
    }

    @AfterAll
    static void stopFake() {
        upstream.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void reset() {
        fake.reset();
    }

    private static OpenAiModelCheck check(String baseUrl, Optional<String> key, boolean relayEnabled, String... preflight) {
        Map<String, String> settings = new HashMap<>(Map.of("gateway.realtime.enabled", Boolean.toString(relayEnabled),
                "gateway.preflight.attempts", "2", "gateway.preflight.retry-delay", "10ms", "gateway.preflight.timeout", "5s"));
        for (int i = 0; i < preflight.length; i += 2) {
            settings.put(preflight[i], preflight[i + 1]);
        }
        var config = new SmallRyeConfigBuilder().withMapping(RealtimeConfig.class).withMapping(PreflightConfig.class)
                .withConverter(java.time.Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(settings, "test", 500)).build();
        OpenAiCredentials credentials = new OpenAiCredentials(key, baseUrl, Optional.empty(), Optional.empty(), relayEnabled, false);
        PreflightConfig preflightConfig = config.getConfigMapping(PreflightConfig.class);
        // The clients the gateway builds once, on a Vert.x of the test's own.
        OpenAiRestClient rest = new OpenAiRestClient(new OpenAiHttp(credentials, preflightConfig.timeout(), vertx), credentials, MAPPER);
        return new OpenAiModelCheck(credentials, config.getConfigMapping(RealtimeConfig.class), preflightConfig, rest,
                new OpenAiRealtimeProbe(vertx, MAPPER));
    }

    private static OpenAiModelCheck check(String baseUrl, String... preflight) {
        return check(baseUrl, Optional.of(KEY), true, preflight);
    }

    /** Runs the check once, asserting it names itself, and that neither the result nor the log holds the key. */
    private static CheckResult run(OpenAiModelCheck check) {
        List<String> logs = new ArrayList<>();
        List<CheckResult> results;
        try (LogCapture capture = new LogCapture()) {
            results = check.run();
            logs.addAll(capture.lines());
        }
        assertThat(results).hasSize(1);
        CheckResult result = results.get(0);
        assertThat(result.name()).isEqualTo("openai.model-access");
        String everything = result.message() + "\n" + result.fix() + "\n" + String.join("\n", logs);
        assertThat(everything).doesNotContain(KEY).doesNotContain(KEY.substring(KEY.length() - 4)).doesNotContain(KEY.substring(0, 16))
                .doesNotContain("Incorrect API key provided");
        return result;
    }

    @Test
    void disabledRelayIsSkippedWithoutACall() {
        CheckResult result = run(check(fakeBase, Optional.of(KEY), false));
        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(result.message()).contains("skipped").contains("disabled");
        assertThat(fake.modelRequests()).isZero();
    }

    @Test
    void missingKeyIsSkippedWithoutACall() {
        CheckResult result = run(check(fakeBase, Optional.empty(), true));
        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(result.message()).contains("skipped").contains("no OpenAI key configured (set OPENAI_API_KEY)");
        assertThat(fake.modelRequests()).isZero();
    }

    @Test
    void malformedKeyFailsWithoutCallingOpenAi() {
        OpenAiModelCheck check = check(fakeBase, Optional.of(KEY + "\r\n"), true);
        List<CheckResult> results = check.run();
        assertThat(results.get(0).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(results.get(0).message()).contains("OPENAI_API_KEY contains a line break").doesNotContain(KEY);
        assertThat(fake.modelRequests()).isZero();
    }

    @Test
    void acceptedKeyAndKnownModelPass() {
        CheckResult result = run(check(fakeBase));
        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(result.message()).contains("gpt-realtime").contains(Fingerprint.of(KEY));
        assertThat(fake.modelRequests()).isEqualTo(1);
        assertThat(fake.upgrades()).as("no realtime probe when the models call answers").isZero();
    }

    @Test
    void rejectedKeyFailsNamingTheFaultAndTheFixButNotTheKey() {
        fake.rejectKeys(true);
        CheckResult result = run(check(fakeBase));
        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).contains("rejected the API key").contains("invalid_api_key").contains(Fingerprint.of(KEY));
        assertThat(result.fix()).contains("OPENAI_API_KEY");
        assertThat(fake.modelRequests()).as("a 401 is an answer: no retries").isEqualTo(1);
    }

    @Test
    void unknownModelFailsNamingTheSetting() {
        CheckResult result = run(check(fakeBase, "gateway.realtime.models", "gpt-nope"));
        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).contains("model gpt-nope").contains("model_not_found");
        assertThat(result.fix()).contains("GATEWAY_REALTIME_MODELS");
    }

    @Test
    void keyWithoutModelsScopeFallsBackToARealtimeProbeThatSeesSessionCreated() {
        fake.modelsAnswer("missing-scope");
        CheckResult result = run(check(fakeBase));
        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(result.message()).contains("missing scope").contains("session.created");
        List<JsonObject> probes = fake.connections();
        assertThat(probes).hasSize(1);
        assertThat(probes.get(0).getString("query")).isEqualTo("model=gpt-realtime");
        assertThat(probes.get(0).getJsonObject("headers").getString("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(probes.get(0).getJsonArray("messages")).as("the probe sends nothing, so nothing is billed").isEmpty();
        await().untilAsserted(() -> assertThat(fake.connections().get(0).getInteger("closeCode")).isEqualTo(1000));
    }

    @Test
    void keyWithoutModelsScopeThatTheRealtimeApiRejectsFails() {
        fake.modelsAnswer("missing-scope");
        fake.rejectKeys(true);
        CheckResult result = run(check(fakeBase));
        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).contains("close 3000").contains("invalid_api_key");
        assertThat(result.fix()).contains("OPENAI_API_KEY");
    }

    @Test
    void keyWithoutModelsScopeWhoseUpgradeIsRefusedFails() {
        fake.modelsAnswer("missing-scope");
        fake.handshakeStatus(403);
        CheckResult result = run(check(fakeBase));
        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).contains("HTTP 403").contains("no Realtime access");
        assertThat(fake.upgrades()).as("a 403 is an answer: no retries").isEqualTo(1);
    }

    @Test
    void keyWithoutModelsScopeWhoseWebSocketStaysSilentIsUnreachable() {
        fake.modelsAnswer("missing-scope");
        fake.silent(true);
        CheckResult result = run(check(fakeBase, "gateway.preflight.timeout", "1s", "gateway.preflight.attempts", "1"));
        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).contains("unreachable").contains("timed out");
    }

    @Test
    void exhaustedQuotaWarnsUntilTheNextPass() {
        fake.modelsAnswer("insufficient-quota");
        OpenAiModelCheck check = check(fakeBase);
        CheckResult result = run(check);
        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.message()).contains("insufficient_quota").contains("openai DEGRADED");
        assertThat(result.fix()).contains("billing");
        fake.reset();
        assertThat(run(check).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void unreachableOpenAiFailsAfterTheRetriesByDefault() {
        OpenAiModelCheck check = check("http://127.0.0.1:1/v1", "gateway.preflight.attempts", "3");
        CheckResult result = run(check);
        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).contains("unreachable").contains("http://127.0.0.1:1/v1/models/gpt-realtime")
                .contains("connection refused after 3 attempt(s)");
        assertThat(result.fix()).contains("OPENAI_BASE_URL").contains("GATEWAY_PREFLIGHT_UNREACHABLE=warn");
    }

    @Test
    void unreachableOpenAiWarnsWhenTold() {
        OpenAiModelCheck check = check("http://127.0.0.1:1/v1", "gateway.preflight.unreachable", "warn");
        CheckResult result = run(check);
        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.message()).contains("unreachable").contains("after 2 attempt(s)").contains("serving anyway (gateway.preflight.unreachable=warn)");
    }

    @Test
    void theChecksSpeakHttp11WithoutAnH2cUpgrade() {
        // The fake drops any request with an Upgrade header off the WebSocket path, as Node servers do: the JDK client's
        // "Upgrade: h2c" on http:// made this check report an up server as unreachable.
        assertThat(run(check(fakeBase)).status()).isEqualTo(CheckStatus.OK);
        fake.modelsAnswer("missing-scope");
        assertThat(run(check(fakeBase)).status()).as("the Realtime fallback too").isEqualTo(CheckStatus.OK);
        assertThat(fake.droppedUpgrades()).isZero();
    }

    @Test
    void answersTheFakeDoesNotGive() throws IOException {
        try (Canned server = new Canned()) {
            server.answer(429, "{\"error\":{\"type\":\"requests\",\"code\":\"rate_limit_exceeded\",\"message\":\"slow down\"}}");
            CheckResult limited = run(check(server.base()));
            assertThat(limited.status()).isEqualTo(CheckStatus.WARN);
            assertThat(limited.message()).contains("rate-limited").contains("rate_limit_exceeded").doesNotContain("slow down");

            server.answer(403, "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"unsupported_country_region_territory\"}}");
            CheckResult refused = run(check(server.base()));
            assertThat(refused.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(refused.message()).contains("refused access").contains("unsupported_country_region_territory");

            server.answer(418, "<html>a proxy page</html>");
            CheckResult unexpected = run(check(server.base()));
            assertThat(unexpected.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(unexpected.message()).contains("Unexpected answer").contains("HTTP 418");
            assertThat(unexpected.fix()).contains("OPENAI_BASE_URL");

            server.answer(503, "{\"error\":{\"type\":\"server_error\",\"code\":null}}");
            int before = server.requests();
            CheckResult down = run(check(server.base()));
            assertThat(server.requests() - before).as("a 5xx is retried").isEqualTo(2);
            assertThat(down.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(down.message()).contains("unreachable").contains("HTTP 503, server_error/- after 2 attempt(s)");
        }
    }

    /** A local server that answers every request with one canned status and body. */
    private static final class Canned implements AutoCloseable {

        private final HttpServer server;
        private final AtomicInteger requests = new AtomicInteger();
        private volatile int status;
        private volatile String body;

        Canned() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                requests.incrementAndGet();
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
        }

        void answer(int status, String body) {
            this.status = status;
            this.body = body;
        }

        int requests() {
            return requests.get();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
