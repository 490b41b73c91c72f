package io.tessera.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The machine's own ceiling for the large GET, without HTTP, S3 or Tessera: a hot file sent with
 * {@code sendfile(2)} ({@code FileChannel.transferTo}) over one loopback connection to a plain socket
 * reader that drains it into a 1 MiB buffer, both in this process. A GET through the node cannot be
 * faster than this.
 */
final class LoopbackCeiling {
    private LoopbackCeiling() {
    }

    static Result run(Path dir, int size, int count, long maxSeconds) throws Exception {
        Path file = Files.createTempFile(dir, "ceiling-", ".bin");
        try {
            byte[] data = new byte[size];
            new Random(7).nextBytes(data);
            Files.write(file, data);
            try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                 FileChannel fc = FileChannel.open(file, StandardOpenOption.READ);
                 Socket client = new Socket("127.0.0.1", server.socket().getLocalPort());
                 SocketChannel peer = server.accept()) {
                CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> serve(peer, fc, size));
                InputStream in = client.getInputStream();
                OutputStream out = client.getOutputStream();
                byte[] buf = new byte[1 << 20];
                Result r = Meter.timeFetches("raw sendfile " + (size >> 20) + "MiB", new Meter(-1), 4, count, maxSeconds,
                        size, () -> fetch(in, out, buf, size));
                client.shutdownOutput();
                sender.join();
                return r;
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** One request byte in, the whole file out, until the reader hangs up. */
    private static void serve(SocketChannel peer, FileChannel fc, long size) {
        ByteBuffer req = ByteBuffer.allocate(1);
        try {
            while (true) {
                req.clear();
                if (peer.read(req) < 0) {
                    return;
                }
                long pos = 0;
                while (pos < size) {
                    pos += fc.transferTo(pos, size - pos, peer);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("sendfile loop failed", e);
        }
    }

    private static void fetch(InputStream in, OutputStream out, byte[] buf, long size) throws IOException {
        out.write(1);
        out.flush();
        long got = 0;
        while (got < size) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, size - got));
            if (n < 0) {
                throw new IOException("connection closed after " + got + " bytes");
            }
            got += n;
        }
    }
}
