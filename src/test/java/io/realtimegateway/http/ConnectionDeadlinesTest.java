package io.realtimegateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;

/** The deadlines of one connection on Netty's embedded channel, with its clock moved by hand. */
class ConnectionDeadlinesTest {

    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final AtomicInteger released = new AtomicInteger();
    private final List<HttpMetrics.Closed> closed = new ArrayList<>();
    private final ConnectionDeadlines deadlines = new ConnectionDeadlines(HEADER_TIMEOUT, IDLE_TIMEOUT, released::incrementAndGet, closed::add);

    private EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addFirst(deadlines);
        channel.pipeline().addLast("idle", new IdleStateHandler(0, 0, 30, TimeUnit.MINUTES));
        return channel;
    }

    private static void advance(EmbeddedChannel channel, long seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void headersTrickledPastTheHeaderTimeoutCloseTheConnection() {
        EmbeddedChannel channel = channel();
        for (int second = 0; second < 9; second++) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] { 'a' }));
            advance(channel, 1);
        }
        assertThat(channel.isOpen()).isTrue();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] { 'a' }));
        advance(channel, 1);
        assertThat(channel.isOpen()).as("open after the header timeout, though bytes kept coming").isFalse();
        assertThat(closed).containsExactly(HttpMetrics.Closed.HEADER_TIMEOUT);
    }

    @Test
    void aRequestInProgressHasNoDeadlineAndAnIdleConnectionIsClosed() {
        EmbeddedChannel channel = channel();
        deadlines.requestStarted(false, false);
        advance(channel, 3600);
        assertThat(channel.isOpen()).as("a request in progress is not bounded here").isTrue();
        deadlines.requestEnded();
        advance(channel, 59);
        assertThat(channel.isOpen()).isTrue();
        advance(channel, 1);
        assertThat(channel.isOpen()).as("idle for the idle timeout").isFalse();
        assertThat(closed).containsExactly(HttpMetrics.Closed.IDLE_TIMEOUT);
    }

    @Test
    void theNextRequestOnAKeepAliveConnectionGetsTheHeaderTimeoutFromItsFirstByte() {
        EmbeddedChannel channel = channel();
        deadlines.requestStarted(false, false);
        deadlines.requestEnded();
        advance(channel, 30);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] { 'G' }));
        advance(channel, 10);
        assertThat(channel.isOpen()).as("open 10 s after the next request's first byte").isFalse();
    }

    @Test
    void anUpgradedWebSocketLeavesBothIdleTimeoutsAndTheCount() {
        EmbeddedChannel channel = channel();
        deadlines.requestStarted(true, false);
        // What Netty's handshaker does before it writes the 101.
        channel.pipeline().addLast("wsdecoder", new WebSocket13FrameDecoder(false, true, 1024));
        channel.writeOutbound(Unpooled.wrappedBuffer("HTTP/1.1 101 Switching Protocols\r\n\r\n".getBytes()));
        assertThat(channel.pipeline().get(ConnectionDeadlines.class)).isNull();
        assertThat(channel.pipeline().get(IdleStateHandler.class)).as("Vert.x's idle handler (quarkus.http.idle-timeout)").isNull();
        assertThat(released.get()).isEqualTo(1);
        advance(channel, 24 * 3600);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aRefusedUpgradeIsAnHttpConnectionAgain() {
        EmbeddedChannel channel = channel();
        deadlines.requestStarted(true, false);
        deadlines.requestEnded();
        assertThat(released.get()).isZero();
        advance(channel, 60);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anHttp2ConnectionIsLeftToVertx() {
        EmbeddedChannel channel = channel();
        deadlines.requestStarted(false, true);
        assertThat(channel.pipeline().get(ConnectionDeadlines.class)).isNull();
        assertThat(channel.pipeline().get(IdleStateHandler.class)).as("quarkus.http.idle-timeout still applies").isNotNull();
        assertThat(released.get()).as("still counted as an HTTP connection").isZero();
    }
}
