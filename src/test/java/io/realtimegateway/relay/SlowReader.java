package io.realtimegateway.relay;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket client on a plain TCP socket that can genuinely stop reading: a tiny receive buffer and no reader
 * thread until {@link #resume()}, so the kernel's window closes and the gateway's writes back up, as with a client
 * on a stalled network. It speaks just enough of RFC 6455 for the relay tests: the handshake, masked text frames
 * out, and counting the frames that come back.
 */
final class SlowReader implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    final AtomicInteger binaryFrames = new AtomicInteger();
    final AtomicLong binaryBytes = new AtomicLong();
    volatile Integer closeCode;
    volatile boolean ended;

    private SlowReader(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Opens the relay with the ticket and reads the 101 answer, then nothing more until {@link #resume()}. */
    static SlowReader open(URI relay, String ticket) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096); // before connecting, so the window is small from the start
        socket.connect(new InetSocketAddress(relay.getHost(), relay.getPort()), 10_000);
        SlowReader reader = new SlowReader(socket);
        String request = "GET " + relay.getPath() + "?model=gpt-realtime HTTP/1.1\r\nHost: " + relay.getHost() + ":" + relay.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Authorization: Bearer " + ticket + "\r\n\r\n";
        reader.out.write(request.getBytes(StandardCharsets.US_ASCII));
        reader.out.flush();
        String head = reader.head();
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("no upgrade: " + head.lines().findFirst().orElse(""));
        }
        return reader;
    }

    private String head() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during the handshake");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Sends a text frame, masked (with a zero key, which leaves the payload as it is) as clients must. */
    void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        }
        frame.write(new byte[4]);
        frame.write(payload);
        out.write(frame.toByteArray());
        out.flush();
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
