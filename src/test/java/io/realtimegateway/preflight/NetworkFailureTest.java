package io.realtimegateway.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;

class NetworkFailureTest {

    @Test
    void namesTheCauseInWordsWithoutClassNamesOrMessages() {
        assertThat(NetworkFailure.describe(new ConnectException("Connection refused: secret-host"))).isEqualTo("connection refused");
        assertThat(NetworkFailure.describe(new IOException(new UnknownHostException("livekit")))).isEqualTo("unknown host");
        assertThat(NetworkFailure.describe(new HttpConnectTimeoutException("HTTP connect timed out"))).isEqualTo("timed out");
        assertThat(NetworkFailure.describe(new SSLHandshakeException("PKIX path building failed"))).isEqualTo("TLS handshake failed");
        assertThat(NetworkFailure.describe(new IllegalStateException("anything"))).isEqualTo("I/O error");
        // What the Vert.x clients fail with: netty's connect timeout (a ConnectException), a connection closed mid-request.
        assertThat(NetworkFailure.describe(new IOException(new io.netty.channel.ConnectTimeoutException("connection timed out: 10.0.0.1"))))
                .isEqualTo("timed out");
        assertThat(NetworkFailure.describe(new IOException(io.vertx.core.http.HttpClosedException.class.getSimpleName(),
                new io.vertx.core.http.HttpClosedException("Connection was closed")))).isEqualTo("connection closed without an answer");
    }
}
