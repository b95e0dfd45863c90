package io.realtimegateway.http;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;

import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.TCPServerBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What Vert.x does not bound on its HTTP servers (public and management port), bounded before any authentication:
 * <ul>
 * <li>connections per client address ({@code gateway.http.max-connections-per-address}): one over it is closed at accept,
 * before a byte is read (no answer: answering would cost what the limit saves, and TLS would first need a handshake);</li>
 * <li>the time to send a request's headers ({@code gateway.http.header-timeout}): Vert.x has no such deadline, and its idle
 * timeout never fires on a client that trickles one byte a second;</li>
 * <li>the idle time of a keep-alive connection ({@code gateway.http.idle-timeout}), without touching upgraded WebSockets.</li>
 * </ul>
 * Quarkus gives no hook on a new connection (its servers' connection handler is its own), so a handler goes in front of
 * Netty's acceptor on each listening channel: it sees every accepted channel first, counts it and puts a
 * {@link ConnectionDeadlines} at the head of its pipeline. The listening channels are found in Vert.x's registry of shared
 * servers when Quarkus reports a server started, and from the connection of the first request as a fallback (Vert.x does not
 * share, so does not register, a server on port 0: such a server, in tests, is guarded from its first request on). The first
 * route of each router tells each connection when its requests' headers arrived and when their responses ended.
 */
@ApplicationScoped
@RegisterForReflection(targets = TCPServerBase.class, fields = true, methods = false)
class ConnectionGuard {

    /** Before every other route and failure handler: a request's headers have arrived once any route runs. */
    static final int ROUTE_ORDER = Integer.MIN_VALUE;

    private static final Logger LOG = Logger.getLogger(ConnectionGuard.class);
    private static final String ACCEPT_HANDLER = "gateway-accept-gate";
    private static final String CONNECTION_HANDLER = "gateway-connection-deadlines";
    private static final String TRACKED = "gateway.connection-tracked";

    private final HttpConfig config;
    private final Vertx vertx;
    private final HttpMetrics metrics;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final AcceptGate gate = new AcceptGate();

    ConnectionGuard(HttpConfig config, Vertx vertx, HttpMetrics metrics) {
        this.config = config;
        this.vertx = vertx;
        this.metrics = metrics;
    }

    void register(@Observes Router router) {
        router.route().order(ROUTE_ORDER).handler(this::track);
        router.route().order(ROUTE_ORDER).failureHandler(this::track);
    }

    void registerManagement(@Observes ManagementInterface management) {
        management.router().route().order(ROUTE_ORDER).handler(this::track);
        management.router().route().order(ROUTE_ORDER).failureHandler(this::track);
    }

    void httpStarted(@ObservesAsync HttpServerStart started) {
        guardListeningServers();
    }

    void httpsStarted(@ObservesAsync HttpsServerStart started) {
        guardListeningServers();
    }

    private void guardListeningServers() {
        if (!(vertx instanceof VertxInternal internal)) {
            LOG.warn("Cannot find the HTTP servers' listening channels: the header timeout, the HTTP idle timeout and the "
                    + "per-address connection limit apply from each server's first request on");
            return;
        }
        internal.sharedHttpServers().values().forEach(server -> {
            Channel listening = listeningChannel(server);
            if (listening != null) {
                guard(listening);
            }
        });
    }

    /** The server's bound channel; Vert.x keeps it private, hence the reflection (registered for the native image above). */
    private static Channel listeningChannel(TCPServerBase server) {
        try {
            Field bind = TCPServerBase.class.getDeclaredField("bindFuture");
            bind.setAccessible(true);
            if (bind.get(server) instanceof Future<?> bound && bound.succeeded() && bound.result() instanceof Channel channel) {
                return channel;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // A Vert.x upgrade that renamed the field: say so, the bounds then start with each server's first request.
            LOG.warnf("Cannot read the listening channel of the HTTP server on port %d (%s): the header timeout, the HTTP idle timeout "
                    + "and the per-address connection limit apply from its first request on", server.actualPort(), e.getClass().getName());
        }
        return null;
    }

    /** Idempotent; a gate left by an earlier instance of this bean (a dev-mode reload) is replaced. */
    private synchronized void guard(Channel listening) {
        ChannelHandler current = listening.pipeline().get(ACCEPT_HANDLER);
        if (current != gate) {
            if (current == null) {
                listening.pipeline().addFirst(ACCEPT_HANDLER, gate);
            } else {
                listening.pipeline().replace(ACCEPT_HANDLER, ACCEPT_HANDLER, gate);
            }
            LOG.debugf("Connection limits on %s: header timeout %s, idle timeout %s, %d connections per address", listening.localAddress(),
                    config.headerTimeout(), config.idleTimeout(), config.maxConnectionsPerAddress());
        }
    }

    private void track(RoutingContext ctx) {
        if (ctx.get(TRACKED) == null) {
            ctx.put(TRACKED, Boolean.TRUE);
            HttpServerRequest request = ctx.request();
            if (request.connection() instanceof ConnectionBase connection) {
                Channel channel = connection.channel();
                if (channel.pipeline().get(CONNECTION_HANDLER) instanceof ConnectionDeadlines deadlines) {
                    deadlines.requestStarted("websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE)),
                            request.version() == HttpVersion.HTTP_2);
                    ctx.addEndHandler(ended -> deadlines.requestEnded());
                } else if (channel.parent() != null && channel.parent().pipeline().get(ACCEPT_HANDLER) != gate) {
                    guard(channel.parent());
                }
            }
        }
        ctx.next();
    }

    /** Takes a slot for the address; false when it has none left. */
    private boolean admit(InetAddress address) {
        int max = config.maxConnectionsPerAddress();
        if (max <= 0 || address == null) {
            return true;
        }
        AtomicInteger count = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (count.incrementAndGet() > max) {
            release(address);
            return false;
        }
        return true;
    }

    private void release(InetAddress address) {
        perAddress.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    private static InetAddress address(Channel child) {
        return child.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    /** In front of Netty's acceptor on a listening channel: every accepted connection passes here first. */
    @ChannelHandler.Sharable
    private final class AcceptGate extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel child) {
                InetAddress address = address(child);
                if (!admit(address)) {
                    LOG.debugf("Refused a connection from %s: it has %d open connections (gateway.http.max-connections-per-address)",
                            address, config.maxConnectionsPerAddress());
                    metrics.closed(HttpMetrics.Closed.ADDRESS_LIMIT);
                    child.unsafe().closeForcibly();
                    return;
                }
                AtomicBoolean released = new AtomicBoolean();
                Runnable release = () -> {
                    if (address != null && config.maxConnectionsPerAddress() > 0 && released.compareAndSet(false, true)) {
                        release(address);
                    }
                };
                child.closeFuture().addListener(closed -> release.run());
                child.pipeline().addFirst(CONNECTION_HANDLER, new ConnectionDeadlines(config.headerTimeout(), config.idleTimeout(), release, metrics::closed));
            }
            ctx.fireChannelRead(msg);
        }
    }
}
