package io.tessera.server.jepsen;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A TCP proxy on 127.0.0.1 in front of one target port, whose links can be faulted while traffic
 * flows: put one in front of each peer port of a group and point the peers at the proxies, and the
 * links between them can be cut ({@link #cut()}: every connection closed with a reset, new ones closed
 * as soon as accepted, until {@link #heal()}), made one-way or silent ({@link LinkFault#drop()} on one
 * or both {@link Direction}s), or slowed ({@link LinkFault#delay(Duration)}). Faults apply to the bytes
 * read after they are set, on existing connections and new ones alike. {@link #counters()} tells what
 * the proxy forwarded, dropped, refused and cut.
 *
 * <p>Each connection runs four threads (a reader and a writer per direction) with 64 KiB chunks and at
 * most 4 MiB in flight per direction, so the proxy forwards hundreds of MB/s on loopback; a delayed
 * direction carries at most 4 MiB per delay period. {@link #close()} ends every thread it started and
 * releases its port, or throws naming the threads that did not end.
 *
 * <p>Thread-safe.
 */
public final class FaultProxy implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(10);

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final LinkState link = new LinkState();
    private final String name;
    private final Thread acceptor;
    private final List<ProxiedConnection> connections = new ArrayList<>();
    private long connectionSeq;
    private boolean cut;
    private boolean closed;

    private FaultProxy(InetSocketAddress target, ServerSocket server) {
        this.target = target;
        this.server = server;
        this.name = "fault-proxy-" + server.getLocalPort();
        this.acceptor = new Thread(this::acceptLoop, name + "-accept");
        acceptor.setDaemon(true);
    }

    /** Starts a proxy on a free port of 127.0.0.1 in front of {@code 127.0.0.1:targetPort}. */
    public static FaultProxy start(int targetPort) throws IOException {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
    }

    /** Starts a proxy on a free port of 127.0.0.1 in front of {@code target}. */
    public static FaultProxy start(InetSocketAddress target) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        FaultProxy p = new FaultProxy(target, server);
        p.acceptor.start();
        return p;
    }

    /** The port the proxy listens on (127.0.0.1). */
    public int port() {
        return server.getLocalPort();
    }

    /** The address the proxy forwards to. */
    public InetSocketAddress target() {
        return target;
    }

    /** The prefix of the names of every thread this proxy starts. */
    public String threadNamePrefix() {
        return name + "-";
    }

    /** Sets what happens to the bytes of {@code d} from now on, on every connection. */
    public void set(Direction d, LinkFault fault) {
        link.set(d, fault);
    }

    /** The fault currently set on {@code d}. */
    public LinkFault fault(Direction d) {
        return link.fault(d);
    }

    /**
     * Partitions the link: closes every connection with a reset, and closes new ones as soon as they are
     * accepted, until {@link #heal()}.
     */
    public void cut() {
        List<ProxiedConnection> open;
        synchronized (this) {
            cut = true;
            open = new ArrayList<>(connections);
        }
        for (ProxiedConnection c : open) {
            if (!c.closed()) {
                link.count(link.cut);
            }
            c.abort(true);
        }
    }

    /** Lifts a cut and sets both directions back to {@link LinkFault#pass()}. */
    public void heal() {
        synchronized (this) {
            cut = false;
        }
        for (Direction d : Direction.values()) {
            link.set(d, LinkFault.pass());
        }
    }

    /** Whether the link is cut. */
    public synchronized boolean isCut() {
        return cut;
    }

    /** What the proxy did so far. */
    public ProxyCounters counters() {
        int open;
        synchronized (this) {
            open = (int) connections.stream().filter(c -> !c.closed()).count();
        }
        return link.snapshot(open);
    }

    /**
     * Waits until the counters satisfy {@code condition} (for instance that bytes were dropped, so a
     * fault provably acted before it is healed) and answers them.
     *
     * @throws IllegalStateException with the last counters when {@code bound} passes first
     */
    public ProxyCounters awaitCounters(Predicate<ProxyCounters> condition, Duration bound) throws InterruptedException {
        return link.await(this::counters, condition, bound);
    }

    /**
     * Stops accepting, closes every connection and waits (a bounded time) for every thread the proxy
     * started to end.
     *
     * @throws IllegalStateException naming the threads still alive after the bound
     */
    @Override
    public void close() {
        List<ProxiedConnection> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(connections);
            connections.clear();
        }
        try {
            server.close(); // ends the acceptor's accept()
        } catch (IOException e) {
            // the port is released either way
        }
        List<Thread> threads = new ArrayList<>();
        threads.add(acceptor);
        for (ProxiedConnection c : all) {
            c.abort(false);
            threads.addAll(c.threads());
        }
        long deadline = System.nanoTime() + CLOSE_BOUND.toNanos();
        List<String> alive = new ArrayList<>();
        for (Thread t : threads) {
            try {
                TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, deadline - System.nanoTime()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (t.isAlive()) {
                alive.add(t.getName());
            }
        }
        if (!alive.isEmpty()) {
            throw new IllegalStateException(name + ": threads still alive after close: " + alive);
        }
    }

    private void acceptLoop() {
        while (true) {
            Socket accepted;
            try {
                accepted = server.accept();
            } catch (IOException e) {
                return; // the server socket was closed: the proxy is closing
            }
            Socket upstream = refusedWhileCut(accepted) ? null : connectTarget(accepted);
            if (upstream != null) {
                register(accepted, upstream);
            }
        }
    }

    private boolean refusedWhileCut(Socket accepted) {
        if (isCut()) {
            link.count(link.refused);
            ProxiedConnection.close(accepted, true);
            return true;
        }
        return false;
    }

    /** The socket to the target, or null (the accepted socket reset) when it cannot be reached. */
    private Socket connectTarget(Socket accepted) {
        Socket upstream = new Socket();
        try {
            upstream.setTcpNoDelay(true);
            upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
            accepted.setTcpNoDelay(true);
            return upstream;
        } catch (IOException e) {
            // The target is down: the client sees what it would see without the proxy, a refusal.
            link.count(link.refused);
            ProxiedConnection.close(upstream, false);
            ProxiedConnection.close(accepted, true);
            return null;
        }
    }

    private void register(Socket accepted, Socket upstream) {
        ProxiedConnection c = null;
        synchronized (this) {
            if (!closed && !cut) { // else cut or closed while connecting to the target
                connections.removeIf(ProxiedConnection::terminated);
                c = new ProxiedConnection(accepted, upstream, link, name + "-c" + connectionSeq++);
                connections.add(c);
            }
        }
        // Counted outside the proxy's lock (a waiter of awaitCounters takes the two locks the other way),
        // and before any byte flows. A cut or close in between aborts c, whose threads then end at once;
        // close() joins this thread before c's.
        if (c != null) {
            link.count(link.accepted);
            c.start();
        } else {
            link.count(link.refused);
            ProxiedConnection.close(upstream, true);
            ProxiedConnection.close(accepted, true);
        }
    }
}
