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
import io.vertx.core.json.JsonObject;

/**
 * The official openai-python SDK, unmodified, completes a conversation through the packaged gateway's relay with a
 * gateway ticket in its {@code api_key} slot:
 * {@code AsyncOpenAI(api_key=ticket, websocket_base_url="ws://…/v1").realtime.connect()}.
 * Needs python3 (the test installs the pinned SDK itself and fails naming python3 when it is missing).
 */
class PythonSdkClientIT {

    private static RelayJar jar;

    private static FakeOpenAiUpstream.Control fake;

    @BeforeAll
    static void start() {
        jar = RelayJar.start(env -> env);
        fake = jar.fake();
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
    void openaiPythonCompletesAConversationThroughTheRelay() {
        Path clients = SdkClients.install("python");
        String ticket = jar.ticket();

        SdkClients.Run run = SdkClients.run(
                List.of(clients.resolve("python/venv/bin/python").toString(), clients.resolve("python/realtime_client.py").toString()),
                Map.of("GATEWAY_WS_BASE", jar.gateway().awaitListening().replaceFirst("^http", "ws") + "/v1", "REALTIME_TICKET", ticket,
                        "REALTIME_MODEL", "gpt-realtime", "PYTHONUNBUFFERED", "1"),
                120);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.events()).as(run.output())
                .containsSubsequence("session.created", "session.updated", "response.created", "response.output_text.delta",
                        "response.done");
        assertThat(run.output()).contains("DONE completed").doesNotContain(ticket).doesNotContain(FakeOpenAiUpstream.API_KEY);
        assertThat(jar.gateway().output()).as("the gateway's log").doesNotContain(ticket).doesNotContain(FakeOpenAiUpstream.API_KEY);

        JsonObject upstream = fake.connections().get(0);
        assertThat(upstream.getJsonObject("headers").getString("Authorization"))
                .as("upstream sees the server key, never the ticket").isEqualTo("Bearer " + FakeOpenAiUpstream.API_KEY);
        assertThat(upstream.getJsonArray("messages").encode()).contains("session.update").contains("response.create");
    }
}
