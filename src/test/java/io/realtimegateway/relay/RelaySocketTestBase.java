package io.realtimegateway.relay;

import io.realtimegateway.testing.FakeOpenAiUpstream;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.quarkus.test.common.http.TestHTTPResource;
import io.vertx.core.Vertx;

/**
 * What every relay @QuarkusTest needs: the relay URI, a fresh fake upstream per test, and client sockets that are
 * closed (and awaited) after each test, so no session leaks into the next one.
 */
abstract class RelaySocketTestBase {

    @TestHTTPResource("/v1/realtime")
    URI relay;

    @Inject
    Vertx vertx;

    final FakeOpenAiUpstream.Control fake = FakeOpenAiUpstream.control();
    private final List<TestSocket> sockets = new ArrayList<>();

    @BeforeEach
    void resetFake() {
        fake.reset();
    }

    @AfterEach
    void closeSockets() {
        sockets.forEach(TestSocket::close);
        sockets.forEach(TestSocket::awaitClosed);
        afterSocketsClosed();
    }

    /** Runs after every socket of the test is closed; JUnit would run a subclass @AfterEach before ours. */
    void afterSocketsClosed() {
    }

    TestSocket open(String ticket) {
        return track(TestSocket.withTicket(vertx, relay, ticket));
    }

    TestSocket track(TestSocket socket) {
        sockets.add(socket);
        return socket;
    }
}
