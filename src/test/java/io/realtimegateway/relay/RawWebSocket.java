package io.realtimegateway.relay;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A WebSocket client on a plain TCP socket that writes whatever frames a test builds, well-formed or not (reserved
 * opcodes, stray continuations, RSV bits, a length the payload never reaches), and reads back the close frame or
 * the end of the connection. Just enough of RFC 6455 for that: the handshake (with extra request headers, the
 * answer's head kept), masked frames out with a zero key (which leaves the payload as it is).
 */
final class RawWebSocket implements AutoCloseable {

    static final int OP_CONTINUATION = 0x0;
    static final int OP_TEXT = 0x1;
    static final int OP_BINARY = 0x2;
    static final int OP_CLOSE = 0x8;
    /** RSV1: "compressed" under permessage-deflate. */
    static final int RSV1 = 0x40;
    /** What {@link #awaitClose()} reports when the connection ended without a close frame. */
    static final int ABNORMAL = 1006;

    /** The close frame the client got: code (1006 for none) and reason. */
    record Close(int code, String reason) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private String head;
    /** Text frames received before the close. */
    final List<String> texts = new ArrayList<>();

    RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to the relay with the ticket (and the extra header lines, "Name: value") and reads the 101 answer. */
    static RawWebSocket open(URI relay, String ticket, String... headers) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(relay.getHost(), relay.getPort()), 10_000);
        socket.setSoTimeout((int) TestSocket.WAIT.toMillis());
        RawWebSocket ws = new RawWebSocket(socket);
        ws.handshake(relay, ticket, headers);
        return ws;
    }

    /** Sends the upgrade request and reads the answer's head; throws unless it is 101. */
    void handshake(URI relay, String ticket, String... headers) throws IOException {
        StringBuilder request = new StringBuilder("GET " + relay.getPath() + "?model=gpt-realtime HTTP/1.1\r\nHost: " + relay.getHost() + ":"
                + relay.getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer " + ticket + "\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during the handshake");
            }
            bytes.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        head = bytes.toString(StandardCharsets.US_ASCII);
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("no upgrade: " + head.lines().findFirst().orElse(""));
        }
    }

    /** The head of the server's 101 answer (status line and headers). */
    String head() {
        return head;
    }

    /** A whole frame: FIN (or not), RSV bits, opcode and payload. */
    void frame(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
        header(fin, rsv, opcode, payload.length);
        out.write(payload);
        out.flush();
    }

    void text(String text) throws IOException {
        frame(true, 0, OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Only a frame's header, announcing {@code length} payload bytes (which the test may then never send). */
    void header(boolean fin, int rsv, int opcode, long length) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write((fin ? 0x80 : 0) | rsv | opcode);
        if (length < 126) {
            header.write(0x80 | (int) length);
        } else if (length <= 0xffff) {
            header.write(0x80 | 126);
            header.write((int) (length >> 8));
            header.write((int) (length & 0xff));
        } else {
            header.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                header.write((int) (length >> shift) & 0xff);
            }
        }
        header.write(new byte[4]); // the masking key: zero
        out.write(header.toByteArray());
        out.flush();
    }

    /** Payload bytes after {@link #header}, as they are (the zero masking key leaves them unchanged). */
    void payload(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads frames until the close frame (its code and reason) or the end of the connection (1006). */
    Close awaitClose() throws IOException {
        try {
            while (true) {
                int b0 = in.read();
                if (b0 < 0) {
                    return new Close(ABNORMAL, null);
                }
                int b1 = in.readUnsignedByte();
                long length = b1 & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = in.readNBytes((int) length);
                int opcode = b0 & 0x0f;
                if (opcode == OP_CLOSE) {
                    int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                    String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                    return new Close(code, reason);
                }
                if (opcode == OP_TEXT) {
                    texts.add(new String(payload, StandardCharsets.UTF_8));
                }
            }
        } catch (EOFException e) {
            return new Close(ABNORMAL, null);
        } catch (SocketException e) {
            return new Close(ABNORMAL, e.getMessage()); // reset by the gateway
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
