package io.realtimegateway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;


/**
 * The fake servers behave like Node servers that handle WebSocket upgrades: a request with {@code Upgrade: h2c}
 * (what the JDK HTTP client sends on {@code http://} by default) loses its connection without an answer, while
 * plain HTTP/1.1 is answered. So a gateway client that sent the upgrade would fail the tests that use the fakes.
 */
class FakeServersUpgradeTest {

    private static final HttpClient JDK_DEFAULT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final HttpClient HTTP_11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void fakeOpenAiDropsAnH2cUpgradeAndAnswersHttp11() throws Exception {
        try (FakeOpenAiUpstream.Standalone fake = FakeOpenAiUpstream.standalone()) {
            HttpRequest models = HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/models/gpt-realtime"))
                    .header("Authorization", "Bearer " + FakeOpenAiUpstream.API_KEY).timeout(Duration.ofSeconds(10)).GET().build();
            assertThatThrownBy(() -> JDK_DEFAULT.send(models, HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
            int dropped = fake.control().droppedUpgrades();
            assertThat(dropped).as("the JDK client retries an idempotent request once").isPositive();
            assertThat(HTTP_11.send(models, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(fake.control().droppedUpgrades()).isEqualTo(dropped);
        }
    }

    @Test
    void fakeLiveKitDropsAnH2cUpgradeAndAnswersHttp11() throws Exception {
        try (FakeLiveKitServer server = new FakeLiveKitServer(Map.of(LiveKitTestConfig.API_KEY, LiveKitTestConfig.SECRET))) {
            HttpRequest listRooms = HttpRequest.newBuilder(URI.create(server.httpUrl() + "/twirp/livekit.RoomService/ListRooms"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            assertThatThrownBy(() -> JDK_DEFAULT.send(listRooms, HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
            assertThat(server.droppedUpgrades()).isPositive();
            assertThat(HTTP_11.send(listRooms, HttpResponse.BodyHandlers.ofString()).statusCode()).as("answered: no credential").isEqualTo(401);
        }
    }
}
