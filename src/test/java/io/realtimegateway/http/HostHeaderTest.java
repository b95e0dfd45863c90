package io.realtimegateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.LogCapture;
import io.realtimegateway.testing.Profiles;
import io.vertx.core.json.JsonObject;

/**
 * A missing or malformed {@code Host} header gets 400 problem+json on both ports, with no stack and nothing from Quarkus's
 * last-resort error handler in the log (HostileHttpIT does the same against the packaged jar).
 */
@QuarkusTest
@TestProfile(Profiles.Tokens.class)
class HostHeaderTest {

    @TestHTTPResource("/")
    URL publicPort;

    @TestHTTPResource(value = "/", management = true)
    URL managementPort;

    @Test
    void badHostIsProblemJsonOnBothPorts() throws IOException {
        try (LogCapture logs = new LogCapture()) {
            for (String request : new String[] {
                    "GET /api/livekit-token HTTP/1.1\r\nHost: evil.example:99999\r\nAccept: text/plain\r\n\r\n",
                    "GET /v1/realtime HTTP/1.1\r\nHost: evil.example:99999\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
                    "GET /api/livekit-token HTTP/1.1\r\nAccept: */*\r\n\r\n" }) {
                assertInvalidHost(exchange(publicPort.getPort(), request));
            }
            assertInvalidHost(exchange(managementPort.getPort(), "GET /q/health/live HTTP/1.1\r\nHost: evil.example:99999\r\n\r\n"));
            assertThat(logs.all()).doesNotContain("QuarkusErrorHandler", "For HTTP/1.x requests");
        }
    }

    private static void assertInvalidHost(String answer) {
        assertThat(answer).startsWith("HTTP/1.1 400 ");
        assertThat(answer.toLowerCase()).contains("content-type: application/problem+json");
        JsonObject problem = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(problem.fieldNames()).containsExactlyInAnyOrder("type", "title", "status", "detail");
        assertThat(problem.getString("type")).isEqualTo("https://realtime-gateway.dev/problems/invalid-host");
        assertThat(problem.getInteger("status")).isEqualTo(400);
        assertThat(answer).doesNotContain("Stack", "Exception", "evil.example");
    }

    /** The whole answer: the gateway closes the connection after it. */
    private static String exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
