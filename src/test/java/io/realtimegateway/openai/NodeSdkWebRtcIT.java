package io.realtimegateway.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.RelayJar;
import io.realtimegateway.testing.SdkClients;
import io.realtimegateway.testing.Secrets;
import io.vertx.core.json.JsonObject;

/**
 * The packaged gateway's WebRTC endpoints with Node clients, in prod mode (api-key callers): openai-node's
 * {@code client.realtime.clientSecrets.create()}, unmodified, mints a secret under the server policy; Node's
 * {@code fetch} posts an SDP offer as a browser does and gets OpenAI's answer. Needs node and npm (installed by
 * the test, failing with the tool's name).
 */
class NodeSdkWebRtcIT {

    private static final String INSTRUCTIONS = "Only talk about the weather.";
    private static RelayJar jar;
    private static FakeOpenAiUpstream.Control fake;

    @BeforeAll
    static void start() {
        jar = RelayJar.start(env -> env.with("GATEWAY_REALTIME_INSTRUCTIONS", INSTRUCTIONS).with("GATEWAY_REALTIME_CLIENT_SECRETS_MAX_EXPIRY", "2m"));
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
    void openaiNodeClientSecretsCreateMintsUnderThePolicy() {
        SdkClients.Run run = node("secret", Map.of("GATEWAY_CALLER_KEY", jar.env().callerKey()));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("MINTED prefix=ek_ model=gpt-realtime instructions=" + INSTRUCTIONS + " expires_in=");
        int expiresIn = Integer.parseInt(run.output().replaceAll("(?s).*expires_in=(-?[0-9]+).*", "$1"));
        assertThat(expiresIn).as("cut to GATEWAY_REALTIME_CLIENT_SECRETS_MAX_EXPIRY").isBetween(100, 125);
        JsonObject sent = fake.clientSecrets().get(0);
        assertThat(sent.getJsonObject("headers").getString("Authorization")).isEqualTo("Bearer " + FakeOpenAiUpstream.API_KEY);
        assertThat(sent.encode()).as("the caller key stays at the gateway").doesNotContain(jar.env().callerKey());
        assertThat(new JsonObject(sent.getString("body")).getJsonObject("expires_after").getInteger("seconds")).isEqualTo(120);
    }

    @Test
    void openaiNodeWithAWrongCallerKeyGets401() {
        SdkClients.Run run = node("secret", Map.of("GATEWAY_CALLER_KEY", Secrets.random(40)));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("ERROR status=401");
        assertThat(fake.clientSecrets()).isEmpty();
    }

    @Test
    void aRawFetchOfAnSdpOfferGetsOpenAisAnswer() {
        String ticket = jar.ticket();
        SdkClients.Run run = node("offer", Map.of("REALTIME_TICKET", ticket));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).containsPattern("ANSWER status=201 type=application/sdp location=/v1/realtime/calls/rtc_fake_[0-9]+ sdp=v=0");
        JsonObject call = fake.calls().get(0);
        assertThat(call.getJsonObject("headers").getString("Authorization")).isEqualTo("Bearer " + FakeOpenAiUpstream.API_KEY);
        assertThat(new JsonObject(call.getJsonObject("parts").getJsonObject("session").getString("body")).getString("instructions"))
                .isEqualTo(INSTRUCTIONS);
        assertThat(call.encode()).doesNotContain(ticket);
        String callId = call.getString("callId");
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> fake.connections().stream()
                .anyMatch(c -> ("call_id=" + callId).equals(c.getString("query"))));
        fake.browserSends(callId, new JsonObject().put("type", "fake.hangup"));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> jar.gateway().output().contains("Realtime call ended: identity="));
        assertThat(jar.gateway().output()).doesNotContain(ticket).doesNotContain(FakeOpenAiUpstream.API_KEY);
    }

    private static SdkClients.Run node(String mode, Map<String, String> env) {
        Path clients = SdkClients.install("node");
        Map<String, String> all = new HashMap<>(env);
        all.put("GATEWAY_BASE_URL", jar.gateway().awaitListening() + "/v1");
        all.put("NODE_NO_WARNINGS", "1");
        SdkClients.Run run = SdkClients.run(List.of("node", clients.resolve("node/webrtc-client.mjs").toString(), mode), all, 120);
        assertThat(run.output()).doesNotContain(jar.env().callerKey()).doesNotContain(FakeOpenAiUpstream.API_KEY).doesNotContain("ek_fake");
        return run;
    }
}
