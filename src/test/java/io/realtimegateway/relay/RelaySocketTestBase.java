package io.realtimegateway.relay;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.quarkus.test.common.http.TestHTTPResource;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.Management;
import io.realtimegateway.ticket.TestTickets;
import io.realtimegateway.ticket.Ticket;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.Vertx;

/**
 * The one helper of the relay @QuarkusTests: tickets (from the endpoint, or signed by {@link TestTickets} for
 * the ones it never issues), client sockets that are closed (and awaited) after each test so no session leaks into
 * the next one, raw upgrade requests for the problem+json refusals, the relay's metrics, and the fake upstream
 * (reset before each test) when the test runs one.
 */
abstract class RelaySocketTestBase {

    static final String PROBLEM_TYPE_BASE = "https://realtime-gateway.dev/problems/";
    static final String FAKE_CONTROL_URL = "fake.openai.control-url";

    @TestHTTPResource("/v1/realtime")
    URI relay;

    @Inject
    Vertx vertx;

    /** The fake upstream; null unless the test runs {@code @WithTestResource(FakeOpenAiUpstream.class)}. */
    FakeOpenAiUpstream.Control fake;
    private final List<TestSocket> sockets = new ArrayList<>();

    @BeforeEach
    void resetFake() {
        if (ConfigProvider.getConfig().getOptionalValue(FAKE_CONTROL_URL, String.class).isPresent()) {
            fake = FakeOpenAiUpstream.control();
            fake.reset();
        }
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

    // ---- tickets

    /** A ticket from {@code POST /api/realtime/client-secret} (auth mode none in tests), for the default model. */
    static String ticket() {
        return ticketRequest("{}");
    }

    /** A ticket from the endpoint for {@code model}. */
    static String ticket(String model) {
        return ticketRequest("{\"session\":{\"model\":\"" + model + "\"}}");
    }

    /** A transcription ticket from the endpoint. */
    static String transcriptionTicket() {
        return ticketRequest("{\"session\":{\"type\":\"transcription\"}}");
    }

    private static String ticketRequest(String body) {
        return given().contentType("application/json").body(body).post("/api/realtime/client-secret")
                .then().statusCode(200).extract().path("value");
    }

    /** A ticket the endpoint would never issue: signed with {@code secret}, expiring at {@code expiresAt}. */
    static String signedTicket(String secret, Instant expiresAt) {
        return signedTicket(secret, "gpt-realtime", expiresAt);
    }

    /** A realtime ticket for {@code model} (which may be outside the allow-list), signed with {@code secret}. */
    static String signedTicket(String secret, String model, Instant expiresAt) {
        return TestTickets.sign(secret, "mallory", model, Ticket.Type.REALTIME, expiresAt);
    }

    // ---- sockets

    /** A client socket with {@code Authorization: Bearer <ticket>} and {@code ?model=gpt-realtime}, closed after the test. */
    TestSocket open(String ticket) {
        return connect("model=gpt-realtime", Map.of("Authorization", "Bearer " + ticket), List.of());
    }

    /** A client socket as a backend opens it (no {@code Origin}), with {@code Authorization: Bearer <ticket>}, closed after the test. */
    TestSocket openAsBackend(String ticket) {
        TestSocket socket = TestSocket.connect(vertx, relay, "model=gpt-realtime", Map.of("Authorization", "Bearer " + ticket), List.of(), false);
        sockets.add(socket);
        return socket;
    }

    /** A client socket, closed after the test; a refused upgrade throws {@code UpgradeRejectedException}. */
    TestSocket connect(String query, Map<String, String> headers, List<String> subprotocols) {
        TestSocket socket = TestSocket.connect(vertx, relay, query, headers, subprotocols);
        sockets.add(socket);
        return socket;
    }

    /** A WebSocket upgrade request to the relay as plain HTTP, to read a refusal's status, headers and problem body. */
    static RequestSpecification upgradeRequest() {
        return given().header("Connection", "Upgrade").header("Upgrade", "websocket").header("Sec-WebSocket-Version", "13")
                .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    }

    // ---- metrics

    /** The value of one Prometheus series at /q/metrics, e.g. {@code gateway_realtime_refusals_total{reason="beta_client"}}; 0 when absent. */
    static double metric(String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(Management.given().get("/q/metrics").asString());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static String refusals(String reason) {
        return "gateway_realtime_refusals_total{reason=\"" + reason + "\"}";
    }

    static String eventsRefused(String reason) {
        return "gateway_realtime_events_refused_total{reason=\"" + reason + "\"}";
    }

    static String terminations(String reason) {
        return "gateway_realtime_terminations_total{reason=\"" + reason + "\"}";
    }
}
