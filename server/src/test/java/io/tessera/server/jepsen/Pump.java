package io.tessera.server.jepsen;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;

/**
 * One direction of a proxied connection: a reader thread that reads what arrives on one socket and, as
 * the direction's current {@link LinkFault} says per chunk, discards it or queues it on a
 * {@link DelayLine}; and a writer thread that writes the queued chunks to the other socket once due.
 * The end of the stream is passed on (after the queued bytes) as a half-close, even while dropping:
 * only bytes are faulted, not the connection's life. Any I/O error ends the whole connection.
 *
 * <p>Thread-safe: its state is its two threads and the line between them.
 */
final class Pump {
    /** Bytes read at once; also the largest chunk queued. */
    static final int CHUNK = 64 * 1024;
    /** Bytes one direction may hold in flight (delayed or not yet written). */
    static final long LINE_CAPACITY = 4L * 1024 * 1024;

    private final Direction direction;
    private final Socket from;
    private final Socket to;
    private final LinkState link;
    private final ProxiedConnection connection;
    private final DelayLine line = new DelayLine(LINE_CAPACITY);
    private final Thread reader;
    private final Thread writer;

    Pump(Direction direction, Socket from, Socket to, LinkState link, ProxiedConnection connection, String name) {
        this.direction = direction;
        this.from = from;
        this.to = to;
        this.link = link;
        this.connection = connection;
        this.reader = new Thread(this::readLoop, name + "-read");
        this.writer = new Thread(this::writeLoop, name + "-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
    }

    void start() {
        writer.start();
        reader.start();
    }

    List<Thread> threads() {
        return List.of(reader, writer);
    }

    /** Drops what is queued and wakes both threads; the caller closes the sockets. */
    void abort() {
        line.abort();
    }

    private void readLoop() {
        try {
            InputStream in = from.getInputStream(); // not closed here: that would close the socket
            byte[] buf = new byte[CHUNK];
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    line.finish();
                    return;
                }
                LinkFault fault = link.fault(direction);
                if (fault instanceof LinkFault.Drop) {
                    link.dropped(direction, n);
                    continue;
                }
                long delay = fault instanceof LinkFault.Delay d ? d.by().toNanos() : 0;
                // A short read is copied and the buffer kept (a delayed line may hold many of them); a long
                // one hands the buffer over.
                byte[] bytes;
                if (n < CHUNK / 2) {
                    bytes = Arrays.copyOf(buf, n);
                } else {
                    bytes = buf;
                    buf = new byte[CHUNK];
                }
                if (!line.put(new DelayLine.Chunk(bytes, n, System.nanoTime() + delay))) {
                    return;
                }
                if (delay > 0) {
                    link.delayed(direction, n);
                }
            }
        } catch (IOException | InterruptedException e) {
            connection.abort(false);
        }
    }

    private void writeLoop() {
        try {
            OutputStream out = to.getOutputStream();
            while (true) {
                DelayLine.Chunk c = line.take();
                if (c == null) {
                    break;
                }
                out.write(c.bytes(), 0, c.length());
                link.forwarded(direction, c.length());
            }
            if (!line.aborted()) {
                to.shutdownOutput();
                connection.directionFinished();
            }
        } catch (IOException | InterruptedException e) {
            connection.abort(false);
        }
    }
}
