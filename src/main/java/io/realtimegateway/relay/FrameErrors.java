package io.realtimegateway.relay;

import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.realtimegateway.health.FatalErrors;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The client leg's WebSocket protocol errors become a close frame with a code and a reason instead of a dropped
 * connection. Vert.x 4.5 builds Netty's frame decoder with {@code closeOnProtocolViolation(false)}, and its own
 * handler closes the connection on any exception, so a reserved opcode, a stray continuation frame, a new data
 * frame inside a fragmented message or a frame over the size limit ended in TCP being cut (1006 for the client).
 * <p>
 * This handler sits between the decoder and Vert.x's handler of the upgrading connection (reached through Vert.x's
 * internal {@link ConnectionBase}: there is no public hook into the pipeline) and keeps those exceptions from Vert.x.
 * The session it is given closes with 1009 (too big) or the decoder's status (1002, 1007) and the decoder's text as
 * the reason; the decoder then discards whatever else the client sends. An {@link OutOfMemoryError} seen here is
 * fatal ({@link FatalErrors}). Runs on the connection's event loop, which is also the session's.
 */
final class FrameErrors extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(FrameErrors.class);
    private static final String NAME = "relay-frame-errors";

    private Consumer<CorruptedWebSocketFrameException> session;

    private FrameErrors() {
    }

    /**
     * Installs the handler on the connection of this upgrade request, in front of Vert.x's handler. Null when the
     * connection is not a Vert.x HTTP/1.1 connection (then protocol errors still drop it, as before).
     */
    static FrameErrors install(HttpServerRequest request) {
        if (!(request.connection() instanceof ConnectionBase connection)) {
            return null;
        }
        ChannelHandlerContext vertxHandler = connection.channelHandlerContext();
        ChannelPipeline pipeline = vertxHandler.pipeline();
        FrameErrors installed = pipeline.get(FrameErrors.class);
        if (installed != null) {
            return installed; // a second upgrade attempt on a kept-alive connection
        }
        FrameErrors errors = new FrameErrors();
        pipeline.addBefore(vertxHandler.name(), NAME, errors);
        return errors;
    }

    /** From now on, protocol errors go to the session, which closes the client in-band. */
    void onViolation(Consumer<CorruptedWebSocketFrameException> session) {
        this.session = session;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        FatalErrors.check(cause);
        if (!(cause instanceof CorruptedWebSocketFrameException violation)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        LOG.debugf("WebSocket protocol error on a relay connection: %s", violation.getMessage());
        if (session != null) {
            session.accept(violation);
            return;
        }
        // No session (the upgrade was refused in-band): close here, the way Netty would with closeOnProtocolViolation.
        if (ctx.channel().isActive()) {
            CloseCodes.Close close = CloseCodes.reason(violation.closeStatus().code(), reason(violation));
            ctx.writeAndFlush(new CloseWebSocketFrame(close.code(), close.reason())).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The close reason for a protocol error: the decoder's words, which hold nothing but what the client sent. */
    static String reason(CorruptedWebSocketFrameException violation) {
        String detail = violation.getMessage() == null ? violation.closeStatus().reasonText() : violation.getMessage();
        return "protocol error: " + detail;
    }
}
