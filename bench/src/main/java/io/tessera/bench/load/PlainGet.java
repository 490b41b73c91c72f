package io.tessera.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The large GET through the node, read exactly as {@link LoopbackCeiling} reads its raw sendfile: a
 * presigned URL requested over one kept-alive plain socket, the body drained into a 1 MiB buffer. Both
 * ends of the comparison then share the same reader, so their ratio is the node's alone; the SDK's GET
 * (which also runs) adds the client's own costs on top.
 */
final class PlainGet {
    private static final int WARMUP_GETS = 4;

    private PlainGet() {
    }

    /** {@code count} GETs of the object at {@code presigned}, which has {@code size} bytes. */
    static Result run(URI presigned, Meter meter, long size, int count, long maxSeconds) throws IOException {
        String host = presigned.getHost() + (presigned.getPort() > 0 ? ":" + presigned.getPort() : "");
        byte[] request = ("GET " + presigned.getRawPath() + "?" + presigned.getRawQuery() + " HTTP/1.1\r\nHost: "
                + host + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        try (Socket socket = new Socket(presigned.getHost(), presigned.getPort())) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buf = new byte[1 << 20];
            return Meter.timeFetches("GET " + (size >> 20) + "MiB, plain reader", meter, WARMUP_GETS, count,
                    maxSeconds, size, () -> fetch(in, out, request, buf, size));
        }
    }

    /** One GET: the head is checked (200, the expected Content-Length), the body drained. */
    private static void fetch(InputStream in, OutputStream out, byte[] request, byte[] buf, long size)
            throws IOException {
        out.write(request);
        out.flush();
        int have = 0;
        int headEnd;
        while ((headEnd = headEnd(buf, have)) < 0) {
            int n = in.read(buf, have, buf.length - have);
            if (n < 0) {
                throw new IOException("the node closed the connection before the response head ended");
            }
            have += n;
        }
        String head = new String(buf, 0, headEnd, StandardCharsets.ISO_8859_1);
        if (!head.startsWith("HTTP/1.1 200 ")) {
            throw new IOException("GET answered " + head.lines().findFirst().orElse(head));
        }
        long length = contentLength(head);
        if (length != size) {
            throw new IOException("GET answered Content-Length " + length + ", expected " + size);
        }
        long got = have - (headEnd + 4);
        while (got < size) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, size - got));
            if (n < 0) {
                throw new IOException("connection closed after " + got + " of " + size + " body bytes");
            }
            got += n;
        }
    }

    /** Offset of the blank line that ends the head within {@code buf[0, have)}, or -1. */
    private static int headEnd(byte[] buf, int have) {
        for (int i = 0; i + 3 < have; i++) {
            if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static long contentLength(String head) throws IOException {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                return Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        throw new IOException("GET answered without Content-Length");
    }
}
