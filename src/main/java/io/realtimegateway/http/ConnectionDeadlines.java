package io.realtimegateway.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The deadlines of one HTTP/1.x connection, first in its Netty pipeline: its request headers must be complete within the
 * header timeout of the accept (or of the first byte of a later keep-alive request), and between requests it may be idle for the
 * idle timeout. Either way it is then closed without an answer. {@link ConnectionGuard}'s first route tells it when a request's
 * headers arrived and when its response ended. An upgrade to a WebSocket removes this handler, and Vert.x's own idle handler
 * ({@code quarkus.http.idle-timeout}) with it: a WebSocket follows its own limits (the relay's idle timeout). An HTTP/2
 * connection is left to Vert.x once its first stream arrives. Runs on the connection's event loop only.
 */
final class ConnectionDeadlines extends ChannelDuplexHandler {

    private static final Logger LOG = Logger.getLogger(ConnectionDeadlines.class);

    private final Duration headerTimeout;
    private final Duration idleTimeout;
    /** Gives the connection's slot in the per-address count back (idempotent). */
    private final Runnable release;
    private final Consumer<HttpMetrics.Closed> closed;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private int inFlight;
    private boolean upgrading;
    private boolean betweenRequests;
    private boolean detached;

    ConnectionDeadlines(Duration headerTimeout, Duration idleTimeout, Runnable release, Consumer<HttpMetrics.Closed> closed) {
        this.headerTimeout = headerTimeout;
        this.idleTimeout = idleTimeout;
        this.release = release;
        this.closed = closed;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Added before the channel is registered: Netty calls this once it is, on its event loop.
        this.ctx = ctx;
        arm(headerTimeout, HttpMetrics.Closed.HEADER_TIMEOUT);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (betweenRequests) {
            // The next request has begun: its headers get the header timeout, counted from its first byte.
            betweenRequests = false;
            arm(headerTimeout, HttpMetrics.Closed.HEADER_TIMEOUT);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise);
        // Netty adds the WebSocket codec before it writes the 101: the connection is a WebSocket from here on.
        if (upgrading && !detached && isWebSocket(ctx.pipeline())) {
            detach(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    /** A request's headers arrived (from a route, on any thread). */
    void requestStarted(boolean upgrade, boolean http2) {
        onLoop(() -> {
            if (detached) {
                return;
            }
            if (http2) {
                detach(false);
                return;
            }
            cancel();
            betweenRequests = false;
            inFlight++;
            upgrading |= upgrade;
        });
    }

    /** That request's response ended, or its connection closed (from a route's end handler, on any thread). */
    void requestEnded() {
        onLoop(() -> {
            if (detached || !ctx.channel().isActive()) {
                return;
            }
            if (upgrading && isWebSocket(ctx.pipeline())) {
                detach(true);
                return;
            }
            inFlight = Math.max(0, inFlight - 1);
            if (inFlight == 0) {
                upgrading = false;
                betweenRequests = true;
                arm(idleTimeout, HttpMetrics.Closed.IDLE_TIMEOUT);
            }
        });
    }

    private void onLoop(Runnable action) {
        if (ctx == null) {
            return; // not registered yet, so no request either
        }
        if (ctx.executor().inEventLoop()) {
            action.run();
        } else {
            ctx.executor().execute(action);
        }
    }

    private void arm(Duration after, HttpMetrics.Closed reason) {
        cancel();
        timer = ctx.executor().schedule(() -> expire(reason), after.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void expire(HttpMetrics.Closed reason) {
        timer = null;
        if (detached) {
            return;
        }
        if (isWebSocket(ctx.pipeline())) {
            detach(true);
            return;
        }
        LOG.debugf("Closing HTTP connection from %s: %s", ctx.channel().remoteAddress(), reason);
        closed.accept(reason);
        ctx.channel().close();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void detach(boolean webSocket) {
        detached = true;
        cancel();
        ChannelPipeline pipeline = ctx.pipeline();
        if (webSocket) {
            // An upgraded WebSocket no longer counts against its address, and quarkus.http.idle-timeout no longer applies to it.
            release.run();
            IdleStateHandler vertxIdle = pipeline.get(IdleStateHandler.class);
            if (vertxIdle != null) {
                pipeline.remove(vertxIdle);
            }
        }
        pipeline.remove(this);
    }

    private static boolean isWebSocket(ChannelPipeline pipeline) {
        for (Map.Entry<String, ChannelHandler> handler : pipeline) {
            if (handler.getValue() instanceof WebSocketFrameDecoder) {
                return true;
            }
        }
        return false;
    }
}
