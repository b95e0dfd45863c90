package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.realtimegateway.testing.RedisServer;
import io.realtimegateway.testing.RelayJar;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Hostile HTTP clients against the packaged jar, over raw sockets, on the public and the management port: a bad {@code Host}
 * header gets 400 problem+json and no ERROR log; a client that trickles its headers, or idles on a keep-alive connection, is
 * closed after the (short, here) header and idle timeouts; a client address gets no more connections than its limit. A quiet
 * relay session outlives both the gateway's and Quarkus's HTTP idle timeouts: a WebSocket follows the relay's own limits.
 * Bounds are generous: "closed within", never "closed at".
 */
class HostileHttpIT {

    private static final int MAX_CONNECTIONS_PER_ADDRESS = 6;
    /** Far above the 1 s timeouts below, far below anything Vert.x would do on its own (its idle timeout defaults to 30 min). */
    private static final long CLOSED_WITHIN_MILLIS = 20_000;

    private static Vertx vertx;
    private static RelayJar jar;
    private static int publicPort;
    private static int managementPort;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        jar = RelayJar.start(env -> env
                .with("GATEWAY_HTTP_HEADER_TIMEOUT", "1s")
                .with("GATEWAY_HTTP_IDLE_TIMEOUT", "1s")
                .with("QUARKUS_HTTP_IDLE_TIMEOUT", "1s")
                .with("GATEWAY_HTTP_MAX_CONNECTIONS_PER_ADDRESS", Integer.toString(MAX_CONNECTIONS_PER_ADDRESS))
                // A fixed (free) port as in production: a server on port 0 is guarded only from its first request on.
                .with("GATEWAY_MANAGEMENT_PORT", Integer.toString(RedisServer.freePort())));
        publicPort = URI.create(jar.gateway().awaitListening()).getPort();
        managementPort = URI.create(jar.gateway().awaitManagement()).getPort();
    }

    @AfterAll
    static void stop() {
        if (jar != null) {
            jar.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void badHostHeaderIsProblemJsonWithoutErrorLog() throws IOException {
        int errorsBefore = errorLines();
        double closedBefore = closed("invalid_host");
        String upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        record Probe(int port, String path, String host, String extra) {
        }
        List<Probe> probes = List.of(
                new Probe(publicPort, "/api/livekit-token?room=r&username=u", "Host: evil.example:99999\r\n", ""),
                new Probe(publicPort, RealtimeRelay.PATH + "?model=gpt-realtime", "Host: evil.example:99999\r\n", upgrade),
                new Probe(publicPort, "/api/livekit-token", "", ""),
                new Probe(managementPort, "/q/health/live", "Host: evil.example:99999\r\n", ""),
                new Probe(managementPort, "/console", "Host: [::1\r\n", ""));
        for (Probe probe : probes) {
            String answer = exchange(probe.port(), "GET " + probe.path() + " HTTP/1.1\r\n" + probe.host() + probe.extra()
                    + "Accept: text/plain\r\n\r\n");
            String what = probe.port() + probe.path() + " " + probe.host().trim();
            assertThat(answer).as(what).startsWith("HTTP/1.1 400 ");
            assertThat(answer.toLowerCase()).as(what).contains("content-type: application/problem+json");
            JsonObject problem = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(problem.getString("type")).as(what).isEqualTo("https://realtime-gateway.dev/problems/invalid-host");
            assertThat(problem.getString("title")).as(what).isEqualTo("Invalid Host header");
            assertThat(problem.getInteger("status")).as(what).isEqualTo(400);
            assertThat(problem.getString("detail")).as(what).contains("Host header");
            assertThat(answer).as(what).doesNotContain("Stack", "Exception", "evil.example");
        }
        assertThat(errorLines()).as("ERROR lines logged for bad Host headers:\n" + jar.gateway().redactedOutput()).isEqualTo(errorsBefore);
        assertThat(jar.gateway().output()).doesNotContain("QuarkusErrorHandler");
        assertThat(closed("invalid_host")).isEqualTo(closedBefore + probes.size());
    }

    @Test
    void slowHeadersAreClosedAfterTheHeaderTimeout() throws Exception {
        double closedBefore = closed("header_timeout");
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int port : new int[] { publicPort, publicPort, publicPort, managementPort, managementPort }) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                socket.getOutputStream().write("GET /q/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                sockets.add(socket);
            }
            // One byte per socket every 200 ms, as long as the server keeps any of them open (Vert.x alone never closes them).
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSED_WITHIN_MILLIS);
            List<Socket> open = new ArrayList<>(sockets);
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                open.removeIf(socket -> !trickle(socket));
                TimeUnit.MILLISECONDS.sleep(200);
            }
            assertThat(open).as("connections still sending their headers after %d ms", CLOSED_WITHIN_MILLIS).isEmpty();
            assertThat(closed("header_timeout")).isGreaterThanOrEqualTo(closedBefore + sockets.size());
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void idleKeepAliveConnectionsAreClosed() throws IOException {
        for (String target : new String[] { publicPort + " /api/livekit-token", managementPort + " /q/health/live" }) {
            String[] parts = target.split(" ");
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(parts[0]))) {
                socket.getOutputStream().write(("GET " + parts[1] + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.setSoTimeout((int) CLOSED_WITHIN_MILLIS);
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                int first = in.read(buffer);
                assertThat(new String(buffer, 0, Math.max(first, 0), StandardCharsets.US_ASCII)).as(target).startsWith("HTTP/1.1 ");
                assertThat(readUntilClosed(in)).as("%s: the idle keep-alive connection is closed within %d ms", target, CLOSED_WITHIN_MILLIS)
                        .isTrue();
            }
        }
    }

    @Test
    void quietRelaySessionOutlivesTheHttpIdleTimeouts() throws InterruptedException {
        URI relay = URI.create(jar.gateway().awaitListening() + RealtimeRelay.PATH);
        TestSocket socket = TestSocket.connect(vertx, relay, "model=gpt-realtime", Map.of("Authorization", "Bearer " + jar.ticket()), List.of());
        try {
            socket.awaitEvent("session.created");
            // Quiet for several times both HTTP idle timeouts (1 s each); the relay's own idle timeout is 5 minutes.
            TimeUnit.SECONDS.sleep(5);
            assertThat(socket.closed).as("closed with %s %s", socket.closeCode, socket.closeReason).isFalse();
            socket.send(new JsonObject().put("type", "fake.echo").put("n", 1));
            assertThat(socket.awaitEvent("fake.echo").getInteger("n")).isEqualTo(1);
        } finally {
            socket.ws.close();
            socket.client.close();
        }
    }

    @Test
    void connectionsPerAddressAreLimited() throws IOException {
        // Its own loopback source address, so that no other client of this test counts against the limit.
        InetAddress client = InetAddress.getByName("127.0.0.2");
        List<Socket> held = new ArrayList<>();
        try {
            // Each holds a request in progress (its body never comes), which neither deadline closes.
            for (int i = 0; i < MAX_CONNECTIONS_PER_ADDRESS; i++) {
                Socket socket = connectFrom(client);
                socket.getOutputStream().write(("POST /api/realtime/client-secret HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                        + jar.env().callerKey() + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
                held.add(socket);
            }
            // One more from the same address: closed at accept, so a complete request gets no answer at all.
            double refusedBefore = closed("address_limit");
            try (Socket refused = connectFrom(client)) {
                assertThat(answerOrNothing(refused)).as("answer over the limit").isEmpty();
            }
            assertThat(closed("address_limit")).isGreaterThan(refusedBefore);
            // Another address is not affected, and a slot given back is free again.
            try (Socket other = connectFrom(InetAddress.getByName("127.0.0.3"))) {
                assertThat(answerOrNothing(other)).startsWith("HTTP/1.1 200 ");
            }
            held.remove(0).close();
            assertThat(answerWhenFree(client)).startsWith("HTTP/1.1 200 ");
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private static Socket connectFrom(InetAddress source) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), managementPort), 5000);
        return socket;
    }

    /** The answer to a request from {@code source} once it has a free slot again (the server counts a close down when it sees it). */
    private static String answerWhenFree(InetAddress source) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSED_WITHIN_MILLIS);
        String answer = "";
        while (answer.isEmpty() && System.nanoTime() < deadline) {
            try (Socket socket = connectFrom(source)) {
                answer = answerOrNothing(socket);
            }
            if (answer.isEmpty()) {
                sleepBriefly();
            }
        }
        return answer;
    }

    private static void sleepBriefly() {
        try {
            TimeUnit.MILLISECONDS.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String answerOrNothing(Socket socket) throws IOException {
        if (!socket.isOutputShutdown()) {
            try {
                socket.getOutputStream().write("GET /q/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (SocketException closed) {
                return "";
            }
        }
        socket.setSoTimeout((int) CLOSED_WITHIN_MILLIS);
        byte[] buffer = new byte[8192];
        try {
            int n = socket.getInputStream().read(buffer);
            return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
        } catch (SocketException reset) {
            return "";
        }
    }

    /** Sends one more header byte; false once the server has closed the connection. */
    private static boolean trickle(Socket socket) {
        try {
            socket.getOutputStream().write('a');
            socket.setSoTimeout(1);
            return socket.getInputStream().read() != -1;
        } catch (SocketTimeoutException stillOpen) {
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    /** Reads until the server closes (true) or the socket's timeout runs out (false). */
    private static boolean readUntilClosed(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        try {
            while (in.read(buffer) != -1) {
                // the rest of the answer
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static String exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int n;
            try {
                while ((n = in.read(buffer)) != -1) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException keptOpen) {
                throw new AssertionError("the connection stayed open after the answer: " + answer.toString(StandardCharsets.ISO_8859_1));
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** {@code gateway_http_connections_closed_total{reason}}, read from the management port. */
    private static double closed(String reason) {
        String series = "gateway_http_connections_closed_total{reason=\"" + reason + "\"} ";
        HttpResponse<String> metrics = jar.gateway().management("/q/metrics");
        return metrics.body().lines().filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()).trim())).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + series + " in HTTP " + metrics.statusCode() + ":\n"
                        + metrics.body().lines().filter(line -> line.startsWith("gateway_http")).toList()));
    }

    private static int errorLines() {
        return (int) jar.gateway().output().lines().filter(line -> line.contains(" ERROR ")).count();
    }
}
