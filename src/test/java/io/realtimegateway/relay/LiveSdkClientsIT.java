package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.realtimegateway.testing.FakeLive;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.RelayJar;
import io.realtimegateway.testing.SdkClients;
import io.vertx.core.json.JsonObject;

/**
 * The official SDKs' GPT-Live clients, unmodified, through the packaged gateway's {@code /v1/live/sessions} with a
 * {@code live} ticket in their API-key slot and the gateway as their base URL: openai-python's
 * {@code AsyncOpenAI(base_url=…/v1).live.connect()} and openai-node's {@code new LiveWS(new OpenAI({baseURL: …/v1}))}
 * (pinned in src/test/python/live and src/test/node/live). Each starts a session, has audio echoed, sees its
 * {@code session.instructions.append} refused under the server instructions, closes, and reads {@code session.closed}.
 * Needs python3, node and npm (installed pins; a missing tool fails the test naming it).
 */
class LiveSdkClientsIT {

    private static final String INSTRUCTIONS = "Only talk about the weather.";
    private static RelayJar jar;
    private static FakeLive.Control live;

    @BeforeAll
    static void start() {
        jar = RelayJar.start(env -> env.with("GATEWAY_LIVE_INSTRUCTIONS", INSTRUCTIONS));
        live = new FakeLive.Control(jar.fake().url());
    }

    @AfterAll
    static void stop() {
        if (jar != null) {
            jar.close();
        }
    }

    @BeforeEach
    void reset() {
        jar.fake().reset();
    }

    @Test
    void openaiPythonLiveConnect() {
        Path clients = SdkClients.install("live");
        run(List.of(clients.resolve("python-live/venv/bin/python").toString(), clients.resolve("python-live/live_client.py").toString()),
                Map.of("PYTHONUNBUFFERED", "1"));
    }

    @Test
    void openaiNodeLiveWs() {
        Path clients = SdkClients.install("live");
        run(List.of("node", clients.resolve("node-live/live-client.mjs").toString()), Map.of());
    }

    private void run(List<String> command, Map<String, String> extraEnv) {
        String ticket = jar.ticket("{\"session\":{\"type\":\"live\"}}");
        Map<String, String> env = new java.util.HashMap<>(extraEnv);
        env.put("GATEWAY_BASE_URL", jar.gateway().awaitListening() + "/v1");
        env.put("LIVE_TICKET", ticket);
        env.put("LIVE_MODEL", "gpt-live-1");
        SdkClients.Run run = SdkClients.run(command, env, 120);

        assertThat(run.exitCode()).as(run.output()).isZero();
        // the refusal comes from the gateway at once, the echo from upstream: either may come first
        assertThat(run.events()).as(run.output()).containsSubsequence("session.started", "error", "session.closed").contains("session.output_audio.delta");
        assertThat(run.output()).contains("DONE completed close_requested").contains("ERROR instructions_locked")
                .doesNotContain(ticket).doesNotContain(FakeOpenAiUpstream.API_KEY).doesNotContain(INSTRUCTIONS);
        assertThat(jar.gateway().output()).as("the gateway's log").doesNotContain(ticket).doesNotContain(FakeOpenAiUpstream.API_KEY);

        JsonObject upstream = live.sessions().get(0);
        assertThat(upstream.getString("query")).as("no query on the upstream URL").isNull();
        assertThat(upstream.getJsonObject("headers").getString("Authorization"))
                .as("upstream sees the server key, never the ticket").isEqualTo("Bearer " + FakeOpenAiUpstream.API_KEY);
        List<String> types = upstream.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("type")).toList();
        assertThat(types).containsExactly("session.start", "session.input_audio.append", "session.close");
        assertThat(upstream.getJsonArray("messages").getJsonObject(0).getJsonObject("session").getString("instructions"))
                .isEqualTo(INSTRUCTIONS + "\n\nBe brief.");
    }
}
