package io.realtimegateway.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.Profiles;
import io.restassured.http.ContentType;

/**
 * Bodies of the token and ticket endpoints: the caller is authenticated before a byte of the body is read, and
 * bodies over 64 KiB get 413 problem+json; a body without a declared length (chunked) gets 411 problem+json.
 */
@QuarkusTest
@TestProfile(Profiles.ApiKeyCallers.class)
class ApiBodyLimitTest {

    @TestHTTPResource("/")
    URI base;

    private static final String AUTH = "Bearer " + AuthProfiles.API_KEY_1;

    /** Sends headers that announce a 10 MB body, sends none of it, and returns the status line and headers of the answer. */
    private String answerWithoutSendingTheBody(String path, String authorization) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000); // a gateway that waited for the body would never answer
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(2048), StandardCharsets.UTF_8); // up to the close that follows the answer
        }
    }

    @Test
    void theCallerIsAuthenticatedBeforeTheBodyIsRead() throws IOException {
        for (String path : new String[] {"/api/livekit/token", "/api/realtime/client-secret"}) {
            String answer = answerWithoutSendingTheBody(path, null);
            assertThat(answer).startsWith("HTTP/1.1 401").containsIgnoringCase("content-type: application/problem+json")
                    .containsIgnoringCase("www-authenticate: Bearer");
            assertThat(answerWithoutSendingTheBody(path, "Bearer not-a-configured-key-0123456789abcdef")).startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void aDeclaredLengthOverTheLimitIs413BeforeTheBodyIsRead() throws IOException {
        for (String path : new String[] {"/api/livekit/token", "/api/realtime/client-secret"}) {
            String answer = answerWithoutSendingTheBody(path, AUTH);
            assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("content-type: application/problem+json")
                    .contains("at most 65536 bytes");
        }
        given().header("Authorization", AUTH).contentType(ContentType.JSON).body("{\"room_name\":\"" + "r".repeat(70_000) + "\"}")
                .when().post("/api/livekit/token").then().statusCode(413).contentType("application/problem+json")
                .body("status", equalTo(413)).body("type", equalTo("https://realtime-gateway.dev/problems/body-too-large"));
    }

    @Test
    void aChunkedBodyIs411ProblemJsonAndTheSameBodyWithALengthIsServed() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        byte[] big = ("{\"room_name\":\"" + "r".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] small = "{\"room_name\":\"lobby\"}".getBytes(StandardCharsets.UTF_8);
        for (byte[] body : new byte[][] {big, small}) {
            HttpResponse<String> chunked = http.send(chunked("/api/livekit/token", body), HttpResponse.BodyHandlers.ofString());
            assertThat(chunked.statusCode()).isEqualTo(411);
            assertThat(chunked.headers().firstValue("content-type")).hasValue("application/problem+json");
            assertThat(chunked.body()).contains("length-required", "Content-Length");
        }
        HttpResponse<String> declared = http.send(HttpRequest.newBuilder(base.resolve("/api/livekit/token")).header("Authorization", AUTH)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(small)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(declared.statusCode()).as(declared.body()).isEqualTo(201);
        assertThat(declared.body()).contains("participant_token");
        // unauthenticated, the answer is 401 whatever the body
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(base.resolve("/api/livekit/token")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    /** A POST whose body has no declared length, so the client sends it chunked. */
    private HttpRequest chunked(String path, byte[] body) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", AUTH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
    }

    @Test
    void requestsWithoutABodyAreUnchanged() {
        given().header("Authorization", AUTH).queryParam("username", "bob").when().get("/api/livekit-token").then().statusCode(200);
        given().when().get("/api/livekit-token").then().statusCode(401).contentType("application/problem+json");
    }
}
