package io.realtimegateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.realtimegateway.testing.GatewayProcess;
import io.realtimegateway.testing.ProdEnv;
import io.realtimegateway.testing.Secrets;

/**
 * The gateway's online boot check against a real livekit-server v1.13.5: the packaged jar is launched
 * with a clean env per case, and what it does at boot (serve and report ready, or refuse naming the
 * fault) is asserted, together with the rule that no secret or token reaches its output.
 */
class BootCheckIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LiveKitServer server;
    private static String callerKey;

    @BeforeAll
    static void startServer() {
        server = LiveKitServer.start(LiveKitServer.generatedKeys(2));
        callerKey = Secrets.random(40);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static ProdEnv pairEnv(String key, String secret) {
        return E2e.gatewayEnv(server, callerKey).with("LIVEKIT_API_KEY", key).with("LIVEKIT_API_SECRET", secret);
    }

    @Test
    void matchingKeysBootAndReadinessIsUp() {
        String key = server.firstKey();
        try (GatewayProcess gateway = GatewayProcess.start(pairEnv(key, server.secretOf(key)))) {
            gateway.awaitListening();
            HttpResponse<String> ready = gateway.management("/q/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body()).contains("\"UP\"");
            assertNoSecrets(gateway.output(), server.secretOf(key));
            assertTokenAccepted(gateway, key);
        }
    }

    @Test
    void wrongSecretRefusesToBootNamingTheMismatch() {
        String key = server.firstKey();
        String wrong = Secrets.random(43);
        try (GatewayProcess gateway = GatewayProcess.start(pairEnv(key, wrong))) {
            int exit = gateway.awaitExit(180);
            String output = gateway.output();
            assertThat(exit).as("exit code (-1 = still running)\n%s", gateway.redactedOutput()).isPositive();
            assertThat(gateway.redactedOutput()).contains(key).containsIgnoringCase("secret").contains("does not match");
            assertNoSecrets(output, wrong, server.secretOf(key));
        }
    }

    @Test
    void unreachableLiveKitWithWarnServesReadyWithLiveKitDegraded() throws Exception {
        String key = server.firstKey();
        ProdEnv env = pairEnv(key, server.secretOf(key))
                .with("LIVEKIT_URL", "ws://127.0.0.1:" + closedPort())
                .with("GATEWAY_PREFLIGHT_UNREACHABLE", "warn").with("GATEWAY_PREFLIGHT_ATTEMPTS", "1");
        try (GatewayProcess gateway = GatewayProcess.start(env)) {
            gateway.awaitListening();
            HttpResponse<String> ready = gateway.management("/q/health/ready");
            assertThat(ready.statusCode()).as("a LiveKit outage concerns every replica: not a reason to leave rotation\n%s", ready.body())
                    .isEqualTo(200);
            assertThat(ready.body()).containsPattern("\"livekit\"\\s*:\\s*\"DEGRADED\"").contains("LiveKit server unreachable");
            assertNoSecrets(gateway.output() + ready.body(), server.secretOf(key));
        }
        try (GatewayProcess gateway = GatewayProcess.start(env.with("GATEWAY_READINESS_REQUIRES", "livekit"))) {
            gateway.awaitListening();
            HttpResponse<String> ready = gateway.management("/q/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
            assertThat(ready.body()).contains("\"DOWN\"").contains("GATEWAY_READINESS_REQUIRES");
        }
    }

    @Test
    void unreachableLiveKitWithFailRefusesToBoot() throws Exception {
        String key = server.firstKey();
        ProdEnv env = pairEnv(key, server.secretOf(key))
                .with("LIVEKIT_URL", "ws://127.0.0.1:" + closedPort())
                .with("GATEWAY_PREFLIGHT_UNREACHABLE", "fail").with("GATEWAY_PREFLIGHT_ATTEMPTS", "2")
                .with("GATEWAY_PREFLIGHT_RETRY_DELAY", "200ms");
        try (GatewayProcess gateway = GatewayProcess.start(env)) {
            int exit = gateway.awaitExit(180);
            assertThat(exit).as("exit code (-1 = still running)\n%s", gateway.redactedOutput()).isPositive();
            assertThat(gateway.redactedOutput()).containsIgnoringCase("unreachable");
            assertNoSecrets(gateway.output(), server.secretOf(key));
        }
    }

    /** Rotation: both keys in LIVEKIT_KEYS; gateway.livekit.signing-key picks the one that signs, and either is accepted. */
    @Test
    void eitherOfTwoKeysInLiveKitKeysSigns() {
        StringBuilder keys = new StringBuilder();
        server.keys().forEach((k, s) -> keys.append(k).append(": ").append(s).append('\n'));
        for (String signingKey : server.keys().keySet()) {
            ProdEnv env = E2e.gatewayEnv(server, callerKey)
                    .with("LIVEKIT_KEYS", keys.toString()).with("GATEWAY_LIVEKIT_SIGNING_KEY", signingKey);
            try (GatewayProcess gateway = GatewayProcess.start(env)) {
                gateway.awaitListening();
                assertThat(gateway.management("/q/health/ready").statusCode()).isEqualTo(200);
                assertTokenAccepted(gateway, signingKey);
                assertNoSecrets(gateway.output(), server.keys().values().toArray(String[]::new));
            }
        }
    }

    /** A token from the gateway's simple endpoint is signed by {@code expectedKey} and accepted by the server. */
    static void assertTokenAccepted(GatewayProcess gateway, String expectedKey) {
        String room = "room-" + Secrets.random(8);
        String identity = "user-" + Secrets.random(6);
        HttpResponse<String> response = gateway.get("/api/livekit-token?room=" + room + "&username="
                + URLEncoder.encode(identity, StandardCharsets.UTF_8), callerKey);
        assertThat(response.statusCode()).as(Secrets.redact(response.body())).isEqualTo(200);
        String token = field(response.body(), "token");
        assertThat(claims(token).path("iss").asText()).isEqualTo(expectedKey);
        HttpResponse<String> validate = server.api().validate(token);
        assertThat(validate.statusCode()).as(Secrets.redact(validate.body(), token)).isEqualTo(200);
        try (LiveKitApi.SignalJoin join = server.api().join(token)) {
            assertThat(join.admitted()).isTrue();
            assertThat(server.api().participants(room)).contains(identity);
        }
    }

    static String field(String json, String name) {
        try {
            return JSON.readTree(json).path(name).asText();
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + Secrets.redact(json));
        }
    }

    static JsonNode claims(String jwt) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (Exception e) {
            throw new AssertionError("not a JWT");
        }
    }

    static void assertNoSecrets(String output, String... secrets) {
        for (String secret : secrets) {
            assertThat(output.contains(secret)).as("a secret appears in the gateway's output").isFalse();
        }
        assertThat(output).as("a JWT appears in the gateway's output").doesNotContainPattern("eyJ[A-Za-z0-9_-]{10,}\\.");
    }

    static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
