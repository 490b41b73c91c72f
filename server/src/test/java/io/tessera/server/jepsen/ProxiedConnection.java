package io.tessera.server.jepsen;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection through a {@link FaultProxy}: the accepted socket, the socket to the target and a
 * {@link Pump} per direction. It ends when both directions have been half-closed and drained, or at
 * once when either side fails or the proxy aborts it; either way both sockets are closed and its four
 * threads end.
 *
 * <p>Thread-safe.
 */
final class ProxiedConnection {
    private final Socket client;
    private final Socket target;
    private final Pump toTarget;
    private final Pump fromTarget;
    private final LinkState link;
    private int directionsFinished;
    private boolean closed;

    ProxiedConnection(Socket client, Socket target, LinkState link, String name) {
        this.client = client;
        this.target = target;
        this.link = link;
        this.toTarget = new Pump(Direction.TO_TARGET, client, target, link, this, name + "-to");
        this.fromTarget = new Pump(Direction.FROM_TARGET, target, client, link, this, name + "-from");
    }

    void start() {
        toTarget.start();
        fromTarget.start();
    }

    /** Called by a pump whose direction was half-closed after its last byte. */
    void directionFinished() {
        boolean both;
        synchronized (this) {
            both = ++directionsFinished == 2;
        }
        if (both) {
            closeSockets(false);
        }
    }

    /**
     * Ends the connection now, discarding what is in flight. With {@code reset}, both ends see a
     * connection reset rather than an orderly close.
     */
    void abort(boolean reset) {
        toTarget.abort();
        fromTarget.abort();
        closeSockets(reset);
    }

    /** Whether the connection's sockets are closed (its threads may still be finishing). */
    synchronized boolean closed() {
        return closed;
    }

    /** Whether all four threads have ended. */
    boolean terminated() {
        return threads().stream().noneMatch(Thread::isAlive);
    }

    List<Thread> threads() {
        List<Thread> all = new ArrayList<>(toTarget.threads());
        all.addAll(fromTarget.threads());
        return all;
    }

    private void closeSockets(boolean reset) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        close(client, reset);
        close(target, reset);
        link.changed(); // the open count went down
    }

    static void close(Socket s, boolean reset) {
        try {
            if (reset) {
                s.setSoLinger(true, 0); // close sends RST
            }
        } catch (SocketException e) {
            // already closed: nothing to reset
        }
        try {
            s.close();
        } catch (IOException e) {
            // closing is best effort; the socket is unusable either way
        }
    }
}
