package io.realtimegateway.relay;

import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.SdkClients;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * The official openai-python SDK, unmodified, completes a conversation through the relay with a gateway ticket in
 * its {@code api_key} slot: {@code AsyncOpenAI(api_key=ticket, websocket_base_url="ws://…/v1").realtime.connect()}.
 * Needs python3 (the test installs the pinned SDK itself and fails naming python3 when it is missing).
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class)
class PythonSdkClientTest {

    @TestHTTPResource("/")
    URI gateway;

    private final FakeOpenAiUpstream.Control fake = FakeOpenAiUpstream.control();

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void openaiPythonCompletesAConversationThroughTheRelay() {
        Path clients = SdkClients.install("python");
        String ticket = given().contentType("application/json").body("{}").post("/api/realtime/client-secret")
                .then().statusCode(200).extract().path("value");

        SdkClients.Run run = SdkClients.run(
                List.of(clients.resolve("python/venv/bin/python").toString(), clients.resolve("python/realtime_client.py").toString()),
                Map.of("GATEWAY_WS_BASE", "ws://127.0.0.1:" + gateway.getPort() + "/v1", "REALTIME_TICKET", ticket,
                        "REALTIME_MODEL", "gpt-realtime", "PYTHONUNBUFFERED", "1"),
                120);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.events()).as(run.output())
                .containsSubsequence("session.created", "session.updated", "response.created", "response.output_text.delta",
                        "response.done");
        assertThat(run.output()).contains("DONE completed").doesNotContain(ticket).doesNotContain(FakeOpenAiUpstream.API_KEY);

        JsonObject upstream = fake.connections().get(0);
        assertThat(upstream.getJsonObject("headers").getString("Authorization"))
                .as("upstream sees the server key, never the ticket").isEqualTo("Bearer " + FakeOpenAiUpstream.API_KEY);
        assertThat(upstream.getJsonArray("messages").encode()).contains("session.update").contains("response.create");
    }
}
