package io.realtimegateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.realtimegateway.testing.GatewayProcess;
import io.realtimegateway.testing.ProdEnv;
import io.realtimegateway.testing.Secrets;

/**
 * One source of truth: with LIVEKIT_CONFIG_FILE pointing at the very livekit.yaml the test server runs
 * with (and no other key source), the gateway reads its keys from it and the server accepts its tokens.
 */
class SharedConfigFileIT {

    private static LiveKitServer server;

    @BeforeAll
    static void startServer() {
        server = LiveKitServer.start(LiveKitServer.generatedKeys(1));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void gatewayReadsKeysFromTheServersOwnLivekitYaml() {
        String callerKey = Secrets.random(40);
        ProdEnv env = E2e.gatewayEnv(server, callerKey).with("LIVEKIT_CONFIG_FILE", server.configFile().toString());
        try (GatewayProcess gateway = GatewayProcess.start(env)) {
            gateway.awaitListening();
            assertThat(gateway.management("/q/health/ready").statusCode()).isEqualTo(200);
            String room = "room-" + Secrets.random(8);
            String token = BootCheckIT.field(gateway.get("/api/livekit-token?room=" + room + "&username=frank", callerKey).body(), "token");
            assertThat(BootCheckIT.claims(token).path("iss").asText()).isEqualTo(server.firstKey());
            assertThat(server.api().validate(token).statusCode()).isEqualTo(200);
            try (LiveKitApi.SignalJoin join = server.api().join(token)) {
                assertThat(join.admitted()).isTrue();
                assertThat(server.api().participants(room)).contains("frank");
            }
            BootCheckIT.assertNoSecrets(gateway.output(), server.secretOf(server.firstKey()));
        }
    }
}
