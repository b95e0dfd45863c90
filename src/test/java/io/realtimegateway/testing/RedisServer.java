package io.realtimegateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server (Debian's 7.x, installed by scripts/install-redis-server.sh when missing) of the test's own,
 * on a free loopback port (never 6379), without persistence. An optional password is written to its redis.conf
 * (mode 600), never to a command line or a system property. {@link #stop()} and {@link #start()} take it down and
 * bring it back on the same port, for outage tests.
 */
public final class RedisServer implements AutoCloseable {

    private static final int START_TIMEOUT_SECONDS = 20;

    private final Path binary;
    private final Path dir;
    private final String password;
    private int port;
    private Process process;

    private RedisServer(Path binary, Path dir, String password) {
        this.binary = binary;
        this.dir = dir;
        this.password = password;
    }

    /** Installs redis-server if needed and starts it; {@code password} null for none. */
    public static RedisServer start(String password) {
        Path binary = Path.of(install());
        try {
            Path root = Path.of(System.getProperty("e2e.basedir", System.getProperty("user.dir")), "target");
            Files.createDirectories(root);
            RedisServer server = new RedisServer(binary, Files.createTempDirectory(root, "redis-"), password);
            server.startOnFreePort();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code redis://127.0.0.1:port}, without the password. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** {@code redis://:password@127.0.0.1:port} (or {@link #url()} without a password). A secret: never print it. */
    public String urlWithPassword() {
        return password == null ? url() : "redis://:" + password + "@127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts it again on the same port after {@link #stop()}. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        launch(port);
    }

    /** Stops the server (SIGTERM, then SIGKILL); the port stays reserved for {@link #start()}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private void startOnFreePort() {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int candidate = freePort();
            try {
                launch(candidate);
                return;
            } catch (IllegalStateException e) {
                last = e; // another process took the port between the probe and the bind
            }
        }
        throw last;
    }

    private void launch(int onPort) {
        try {
            Path conf = dir.resolve("redis.conf");
            List<String> lines = new ArrayList<>(List.of("port " + onPort, "bind 127.0.0.1", "protected-mode yes", "save \"\"",
                    "appendonly no", "dir " + dir, "logfile " + dir.resolve("redis.log"), "daemonize no"));
            if (password != null) {
                lines.add("requirepass " + password);
            }
            Files.write(conf, lines, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
            Process started = new ProcessBuilder(binary.toString(), conf.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
            while (System.nanoTime() < deadline) {
                if (!started.isAlive()) {
                    throw new IllegalStateException("redis-server exited with " + started.exitValue() + " on port " + onPort + ": " + log());
                }
                if (answersPing(onPort)) {
                    port = onPort;
                    process = started;
                    return;
                }
                Thread.sleep(50);
            }
            started.destroyForcibly();
            throw new IllegalStateException("redis-server did not answer on port " + onPort + " within " + START_TIMEOUT_SECONDS + " s: " + log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** PING without credentials: +PONG, or -NOAUTH when a password is set; either means it serves. */
    private static boolean answersPing(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64];
            int n = in.read(buffer);
            String answer = n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
            return answer.startsWith("+PONG") || answer.startsWith("-NOAUTH");
        } catch (IOException e) {
            return false;
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log")) + Files.readString(dir.resolve("stdout.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** A loopback port nothing listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String install() {
        Path script = Path.of(System.getProperty("e2e.basedir", System.getProperty("user.dir")), "scripts", "install-redis-server.sh");
        try {
            Process process = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(20, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("scripts/install-redis-server.sh failed (exit " + (process.isAlive() ? "timeout" : process.exitValue())
                        + "): MISSING TOOL redis-server 7+; see its message above");
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run bash for scripts/install-redis-server.sh (MISSING TOOL: bash?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
