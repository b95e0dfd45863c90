package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.realtimegateway.health.FatalErrors;
import io.realtimegateway.testing.GatewayProcess;
import io.realtimegateway.testing.RelayJar;

/**
 * An {@link OutOfMemoryError} is never silent: the packaged jar with a 128 MiB heap and no
 * {@code -XX:+ExitOnOutOfMemoryError} is made to run out of memory by clients that each send most of a 16 MiB frame
 * (allowed, but held by the transport until it is whole), more than the heap altogether. The gateway logs the error at
 * ERROR and exits with {@value FatalErrors#EXIT_CODE}, so that an orchestrator restarts it, instead of dropping the
 * connection with the error at DEBUG and going on.
 */
class OutOfMemoryExitIT {

    private static final List<String> SMALL_HEAP = List.of("-Xmx128m", "-XX:+UseSerialGC");
    private static final int SESSIONS = 12;
    private static final int FRAME_BYTES = 16 * 1024 * 1024;
    private static final int SENT_BYTES = 15 * 1024 * 1024;

    private static RelayJar jar;

    @BeforeAll
    static void start() {
        // -Xmx bounds the native executable's heap too (GatewayProcess passes it; the collector is built in).
        jar = RelayJar.start(SMALL_HEAP, env -> env
                .with("GATEWAY_RATE_LIMIT_TICKETS_PER_MINUTE", "0")
                .with("GATEWAY_REALTIME_MAX_SESSIONS_PER_IDENTITY", "50"));
    }

    @AfterAll
    static void stop() {
        if (jar != null) {
            jar.close();
        }
    }

    @Test
    void theGatewayLogsTheErrorAndExitsSoItIsRestarted() throws Exception {
        URI relay = URI.create(jar.gateway().awaitListening() + RealtimeRelay.PATH);
        List<RawWebSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < SESSIONS; i++) {
                RawWebSocket ws = RawWebSocket.open(relay, jar.ticket());
                sockets.add(ws);
            }
            byte[] chunk = new byte[1024 * 1024];
            for (RawWebSocket ws : sockets) {
                ws.header(true, 0, RawWebSocket.OP_BINARY, FRAME_BYTES);
                for (int sent = 0; sent < SENT_BYTES; sent += chunk.length) {
                    ws.payload(chunk);
                }
            }
        } catch (IOException e) {
            // the gateway is gone
        } finally {
            for (RawWebSocket ws : sockets) {
                ws.close();
            }
        }
        int exit = jar.gateway().awaitExit(GatewayProcess.TIMEOUT_SECONDS);
        assertThat(exit).as("exit code; output:%n%s", jar.gateway().redactedOutput()).isEqualTo(FatalErrors.EXIT_CODE);
        assertThat(jar.gateway().output()).containsPattern("ERROR .*OutOfMemoryError \\(.*\\): exiting with 3 so that the process is restarted");
    }
}
