package io.realtimegateway.livekit;

import static org.assertj.core.api.Assertions.assertThat;

import io.realtimegateway.testing.FakeLiveKitServer;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.realtimegateway.testing.GatewayProcess;
import io.realtimegateway.testing.ProdEnv;
import io.realtimegateway.testing.Secrets;

/**
 * The packaged jar, with a clean environment, refuses to boot when the LiveKit server answers ListRooms with 401:
 * non-zero exit, a message naming the key and the fix, and no secret or token in the output.
 */
class LiveKitServerRejectedIT {

    private static final String KEY = "APIitKey";
    private static final String SERVER_SECRET = Secrets.random(40);
    private static final String GATEWAY_SECRET = Secrets.random(40);

    @Test
    void rejectedKeyPairRefusesBoot() throws Exception {
        try (FakeLiveKitServer server = new FakeLiveKitServer(Map.of(KEY, SERVER_SECRET))) {
            ProdEnv env = ProdEnv.valid().relayOff().online()
                    .with("LIVEKIT_URL", server.wsUrl())
                    .with("LIVEKIT_API_KEY", KEY)
                    .with("LIVEKIT_API_SECRET", GATEWAY_SECRET)
                    .with("GATEWAY_PREFLIGHT_ATTEMPTS", "1")
                    .with("GATEWAY_PREFLIGHT_TIMEOUT", "30s");
            try (GatewayProcess gateway = GatewayProcess.start(env)) {
                int exitCode = gateway.awaitExit(120);
                boolean exited = exitCode != GatewayProcess.STILL_RUNNING;
                String text = gateway.output();
                assertThat(exited).as("the gateway must refuse to boot, not serve; output:%n%s", gateway.redactedOutput()).isTrue();
                assertThat(exitCode).as("exit code; output:%n%s", gateway.redactedOutput()).isNotZero();
                assertThat(text).contains("livekit.server", "key/secret rejected by the LiveKit server", "'" + KEY + "'", "fix:",
                        "sha256sum", "Refusing to start");
                List<String> tokens = server.receivedTokens();
                assertThat(tokens).as("the gateway called ListRooms").isNotEmpty();
                assertThat(text).doesNotContain(GATEWAY_SECRET).doesNotContain(SERVER_SECRET).doesNotContain(env.callerKey())
                        .doesNotContain("eyJ");
                tokens.forEach(token -> assertThat(text).doesNotContain(token));
            }
        }
    }
}
