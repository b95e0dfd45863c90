package io.realtimegateway.relay;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket client on a plain TCP socket that can genuinely stop reading: a tiny receive buffer and no reader
 * thread until {@link #resume()}, so the kernel's window closes and the gateway's writes back up, as with a client
 * on a stalled network. The handshake and the frames out are {@link RawWebSocket}'s; this counts the frames that
 * come back.
 */
final class SlowReader implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final RawWebSocket raw;
    final AtomicInteger binaryFrames = new AtomicInteger();
    final AtomicLong binaryBytes = new AtomicLong();
    volatile Integer closeCode;
    volatile boolean ended;

    private SlowReader(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.raw = new RawWebSocket(socket);
    }

    /** Opens the relay with the ticket and reads the 101 answer, then nothing more until {@link #resume()}. */
    static SlowReader open(URI relay, String ticket) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096); // before connecting, so the window is small from the start
        socket.connect(new InetSocketAddress(relay.getHost(), relay.getPort()), 10_000);
        SlowReader reader = new SlowReader(socket);
        reader.raw.handshake(relay, ticket);
        return reader;
    }

    /** Sends a text frame. */
    void sendText(String text) throws IOException {
        raw.text(text);
    }

    /** Starts reading: counts binary frames and their bytes until the close frame or the end of the stream. */
    void resume() {
        Thread thread = new Thread(this::readAll, "slow-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void readAll() {
        try {
            while (true) {
                int b0 = in.read();
                if (b0 < 0) {
                    break;
                }
                int b1 = in.readUnsignedByte();
                long length = b1 & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                int opcode = b0 & 0x0f;
                if (opcode == 8) {
                    byte[] payload = in.readNBytes((int) length);
                    closeCode = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                    break;
                }
                skip(in, length);
                if (opcode == 2) {
                    binaryFrames.incrementAndGet();
                    binaryBytes.addAndGet(length);
                }
            }
        } catch (IOException e) {
            // the gateway cut the connection: ended below
        }
        ended = true;
    }

    private static void skip(InputStream in, long length) throws IOException {
        long left = length;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("truncated frame");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
