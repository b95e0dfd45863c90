package io.realtimegateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** Runs the compose healthcheck script with bash against a stub: healthy exactly when readiness answers 200. */
class GatewayHealthcheckTest {

    private HttpServer server;
    private final AtomicReference<String> requestedPath = new AtomicReference<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void readinessUpIsHealthy() throws Exception {
        int port = serve(200, "{\"status\":\"UP\",\"checks\":[]}");
        assertThat(GatewayHealthcheck.runAgainst(port)).isZero();
        assertThat(requestedPath.get()).isEqualTo("/q/health/ready");
    }

    @Test
    void readinessDownIsUnhealthy() throws Exception {
        int port = serve(503, "{\"status\":\"DOWN\",\"checks\":[]}");
        assertThat(GatewayHealthcheck.runAgainst(port)).isNotZero();
    }

    @Test
    void aBodyMentioning200DoesNotFoolIt() throws Exception {
        int port = serve(404, "not found: 200 ");
        assertThat(GatewayHealthcheck.runAgainst(port)).isNotZero();
    }

    @Test
    void nothingListeningIsUnhealthy() throws Exception {
        int port = serve(200, "{}");
        server.stop(0);
        server = null;
        assertThat(GatewayHealthcheck.runAgainst(port)).isNotZero();
    }

    private int serve(int status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requestedPath.set(exchange.getRequestURI().getPath());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server.getAddress().getPort();
    }
}
