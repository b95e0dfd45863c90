package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.RelayJar;
import io.realtimegateway.testing.SdkClients;
import io.realtimegateway.testing.SelfSignedTls;
import io.vertx.core.json.JsonObject;

/**
 * The official openai-node SDK, unmodified, completes a conversation through the packaged gateway's relay with a
 * gateway ticket as its {@code apiKey}. openai-node always connects with wss, so the jar also serves TLS with a
 * certificate generated for the run ({@link SelfSignedTls}) and Node trusts it through NODE_EXTRA_CA_CERTS:
 * verification stays on. Both GA classes: OpenAIRealtimeWS (ticket in the Authorization header) and
 * OpenAIRealtimeWebSocket (ticket in the {@code openai-insecure-api-key.} subprotocol). Needs node and npm
 * (installed by the test, failing with the tool's name).
 */
class NodeSdkClientIT {

    private static SelfSignedTls tls;
    private static RelayJar jar;
    private static String gatewayTls;

    private static FakeOpenAiUpstream.Control fake;

    @BeforeAll
    static void start() {
        tls = SelfSignedTls.generate();
        jar = RelayJar.start(tls::applyTo);
        fake = jar.fake();
        gatewayTls = jar.gateway().awaitListeningTls();
    }

    @AfterAll
    static void stop() {
        if (jar != null) {
            jar.close();
        }
    }

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void openaiNodeRealtimeWsCompletesAConversationOverTls() {
        SdkClients.Run run = runNode("ws");

        assertConversation(run);
        assertThat(fake.connections()).hasSize(1);
    }

    @Test
    void openaiNodeRealtimeWebSocketWithTheSubprotocolTicketCompletesAConversationOverTls() {
        SdkClients.Run run = runNode("websocket");

        assertConversation(run);
        assertThat(fake.connections()).hasSize(1);
    }

    private SdkClients.Run runNode(String flavour) {
        Path clients = SdkClients.install("node");
        String ticket = jar.ticket();
        assertThat(gatewayTls).startsWith("https://127.0.0.1:");

        SdkClients.Run run = SdkClients.run(
                List.of("node", "--experimental-websocket", clients.resolve("node/realtime-client.mjs").toString(), flavour),
                Map.of("GATEWAY_BASE_URL", gatewayTls + "/v1", "REALTIME_TICKET", ticket,
                        "REALTIME_MODEL", "gpt-realtime", "NODE_EXTRA_CA_CERTS", tls.caFile().toString(), "NODE_NO_WARNINGS", "1"),
                120);
        assertThat(run.output()).doesNotContain(ticket).doesNotContain(FakeOpenAiUpstream.API_KEY);
        assertThat(jar.gateway().output()).as("the gateway's log").doesNotContain(ticket).doesNotContain(FakeOpenAiUpstream.API_KEY);
        return run;
    }

    private void assertConversation(SdkClients.Run run) {
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.events()).as(run.output())
                .containsSubsequence("session.created", "session.updated", "response.created", "response.output_text.delta",
                        "response.done");
        assertThat(run.output()).contains("DONE completed");
        JsonObject upstream = fake.connections().get(0);
        assertThat(upstream.getJsonObject("headers").getString("Authorization")).isEqualTo("Bearer " + FakeOpenAiUpstream.API_KEY);
        assertThat(upstream.getJsonArray("messages").encode()).contains("session.update").contains("response.create");
    }
}
