package io.realtimegateway.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

/**
 * A TCP proxy on 127.0.0.1 in front of a test server (the fake OpenAI upstream, a fake livekit-server), to inject
 * network faults the servers themselves cannot show: {@link #refuse()} stops listening (connections are refused) and
 * {@link #restore()} listens again on the same port; {@link #stall(boolean)} accepts new connections but forwards
 * nothing (a server that hangs); {@link #cutAll()} closes every proxied connection at once, without a WebSocket close
 * frame (a server that died); {@link #drop(boolean)} closes each new connection as soon as it is accepted (an upstream
 * that resets them), while {@link #accepted()} counts every connection attempt that reached it; {@link #retarget(int)}
 * sends new connections to another port of the same host (a load balancer in front of two replicas). Forwarding is
 * byte for byte with back-pressure.
 */
public final class FaultProxy implements AutoCloseable {

    private final Vertx vertx;
    private final NetClient client;
    private final String targetHost;
    /** Where new connections go; {@link #retarget(int)} moves it, as a load balancer does when a replica goes away. */
    private volatile int targetPort;
    private final int port;
    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
    private volatile NetServer server;
    private volatile boolean stalled;
    private volatile boolean dropping;
    private final AtomicInteger accepted = new AtomicInteger();

    private FaultProxy(Vertx vertx, String targetHost, int targetPort) {
        this.vertx = vertx;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5000));
        this.server = listen(0);
        this.port = server.actualPort();
    }

    /** A proxy on an ephemeral port of 127.0.0.1, forwarding to {@code host:port}. */
    public static FaultProxy to(Vertx vertx, String host, int port) {
        return new FaultProxy(vertx, host, port);
    }

    public int port() {
        return port;
    }

    /** Stops listening: new connections are refused; those open stay. */
    public void refuse() {
        NetServer listening = server;
        server = null;
        if (listening != null) {
            await(listening.close().toCompletionStage().toCompletableFuture());
        }
    }

    /** Listens again on the same port and forwards new connections. */
    public void restore() {
        stalled = false;
        if (server == null) {
            server = listen(port);
        }
    }

    /** While on, new connections are accepted and then nothing: no byte reaches the target, none comes back. */
    public void stall(boolean on) {
        stalled = on;
    }

    /** While on, each new connection is closed as soon as it is accepted, before a byte is read. */
    public void drop(boolean on) {
        dropping = on;
    }

    /** New connections go to {@code port} of the same host from now on; those open stay where they are. */
    public void retarget(int newPort) {
        targetPort = newPort;
    }

    /** Connections accepted since the proxy started (dropped ones included): the attempts to reach the target. */
    public int accepted() {
        return accepted.get();
    }

    /** Closes every open connection on both sides at once. */
    public void cutAll() {
        sockets.forEach(NetSocket::close);
    }

    /** Open sockets, both sides counted. */
    public int openSockets() {
        return sockets.size();
    }

    private NetServer listen(int onPort) {
        NetServer created = vertx.createNetServer().connectHandler(this::accept);
        return await(created.listen(onPort, "127.0.0.1").toCompletionStage().toCompletableFuture());
    }

    private void accept(NetSocket in) {
        accepted.incrementAndGet();
        if (dropping) {
            in.close();
            return;
        }
        track(in);
        if (stalled) {
            in.pause();
            return;
        }
        in.pause();
        client.connect(targetPort, targetHost).onComplete(connected -> {
            if (connected.failed()) {
                in.close();
                return;
            }
            NetSocket out = connected.result();
            track(out);
            in.pipeTo(out);
            out.pipeTo(in);
            in.resume();
        });
    }

    private void track(NetSocket socket) {
        sockets.add(socket);
        socket.closeHandler(v -> sockets.remove(socket));
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fault proxy: " + e, e);
        }
    }

    @Override
    public void close() {
        refuse();
        cutAll();
        client.close();
    }
}
