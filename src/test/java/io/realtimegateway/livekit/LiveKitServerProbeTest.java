package io.realtimegateway.livekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.realtimegateway.credentials.LiveKitKey;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.preflight.OnlineProbe;
import io.realtimegateway.preflight.PreflightConfig;
import io.realtimegateway.testing.FakeLiveKitServer;
import io.realtimegateway.testing.Secrets;
import io.vertx.core.Vertx;

/** The ListRooms probe against a fake livekit-server v1.13.5, outcome by outcome. */
class LiveKitServerProbeTest {

    private static final String KEY = "APIprobeKey";
    private static final String SECRET = Secrets.random(40);
    private static final LiveKitKey GOOD = new LiveKitKey(KEY, SECRET, "LIVEKIT_API_KEY/LIVEKIT_API_SECRET");
    private static Vertx VERTX;

    @BeforeAll
    static void vertx() {
        VERTX = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        VERTX.close().toCompletionStage().toCompletableFuture().join();
    }

    /** Generous timeout: the machine is shared and loaded; a refused connection fails fast anyway. */
    private static LiveKitServerCheck.Probe probe(boolean unreachableFails) {
        return new LiveKitServerCheck.Probe(new LiveKitTwirpClient(VERTX, Duration.ofSeconds(30)),
                new OnlineProbe(2, Duration.ofMillis(50), unreachableFails ? PreflightConfig.Unreachable.FAIL : PreflightConfig.Unreachable.WARN));
    }

    @Test
    void acceptedKeyIsOk() throws Exception {
        try (FakeLiveKitServer server = new FakeLiveKitServer(Map.of(KEY, SECRET))) {
            CheckResult result = probe(true).run(server.httpUrl(), GOOD);
            assertThat(result.status()).isEqualTo(CheckStatus.OK);
            assertThat(result.name()).isEqualTo("livekit.server");
            assertThat(server.receivedTokens()).hasSize(1);
            var claims = TokenAssertions.verifiedClaims(server.receivedTokens().get(0), SECRET);
            assertThat(claims.get("video").toString()).isEqualTo("{\"roomList\":true}");
            assertThat(claims.get("exp").asLong() - claims.get("nbf").asLong()).isEqualTo(60);
            assertThat(server.droppedUpgrades()).as("HTTP/1.1 without an h2c upgrade").isZero();
        }
    }

    @Test
    void unknownKeyFailsNamingTheKey() throws Exception {
        try (FakeLiveKitServer server = new FakeLiveKitServer(Map.of("APIotherKey", SECRET))) {
            CheckResult result = probe(true).run(server.httpUrl(), GOOD);
            assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(result.message()).contains("key/secret rejected by the LiveKit server", "'" + KEY + "'", "not one of its keys");
            assertNoSecretOrToken(result, server);
        }
    }

    @Test
    void wrongSecretFailsWithoutRepeatingTheEchoedToken() throws Exception {
        try (FakeLiveKitServer server = new FakeLiveKitServer(Map.of(KEY, Secrets.random(40)))) {
            CheckResult result = probe(true).run(server.httpUrl(), GOOD);
            assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(result.message()).contains("key/secret rejected by the LiveKit server", KEY, "does not match");
            assertThat(result.fix()).contains("sha256sum");
            assertNoSecretOrToken(result, server);
        }
    }

    @Test
    void clockSkewIsNamedAsSuch() throws Exception {
        for (long offset : new long[] { 3600, -3600 }) {
            try (FakeLiveKitServer server = new FakeLiveKitServer(Map.of(KEY, SECRET), offset)) {
                CheckResult result = probe(true).run(server.httpUrl(), GOOD);
                assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
                assertThat(result.message()).contains("clock", "60 s");
                assertThat(result.fix()).contains("NTP");
                assertNoSecretOrToken(result, server);
            }
        }
    }

    @Test
    void unreachableServerFailsOrWarnsAfterTheRetries() throws Exception {
        String url;
        try (FakeLiveKitServer server = new FakeLiveKitServer(Map.of(KEY, SECRET))) {
            url = server.httpUrl();
        }
        CheckResult fail = probe(true).run(url, GOOD);
        assertThat(fail.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(fail.message()).contains("unreachable", "after 2 attempt(s)");
        CheckResult warn = probe(false).run(url, GOOD);
        assertThat(warn.status()).isEqualTo(CheckStatus.WARN);
        assertThat(warn.message()).contains("gateway.preflight.unreachable=warn");
    }

    @Test
    void twirpPermissionDeniedIsAGrantProblemAndOtherAnswersAreNamed() {
        String token = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln";
        CheckResult denied = LiveKitServerCheck.Probe.classify(new LiveKitTwirpClient.Answer(401, "application/json",
                "{\"code\":\"unauthenticated\",\"msg\":\"permissions denied\"}"), "http://lk", GOOD);
        assertThat(denied.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(denied.message()).contains("permissions denied").doesNotContain("key/secret rejected");
        CheckResult other401 = LiveKitServerCheck.Probe.classify(new LiveKitTwirpClient.Answer(401, "text/plain", "something new: " + token),
                "http://lk", GOOD);
        assertThat(other401.message()).contains("key/secret rejected by the LiveKit server", "not shown").doesNotContain(token);
        assertThat(LiveKitServerCheck.Probe.classify(new LiveKitTwirpClient.Answer(404, "text/plain", "404 page not found"), "http://lk", GOOD)
                .message()).contains("HTTP 404");
        assertThat(LiveKitServerCheck.Probe.classify(new LiveKitTwirpClient.Answer(503, "text/plain", token), "http://lk", GOOD).toString())
                .contains("HTTP 503").doesNotContain(token);
    }

    private static void assertNoSecretOrToken(CheckResult result, FakeLiveKitServer server) {
        assertThat(server.receivedTokens()).isNotEmpty();
        String text = result.toString();
        assertThat(text).doesNotContain(SECRET).doesNotContain("eyJ");
        for (String token : server.receivedTokens()) {
            assertThat(text).doesNotContain(token);
        }
    }
}
