package io.tessera.server.jepsen;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A TCP server on a free port of 127.0.0.1 that writes back every byte it reads, one thread per
 * connection, and half-closes when its client does; the target behind a {@link FaultProxy} in tests.
 * {@link #close()} closes every socket and waits (bounded) for its threads. Thread-safe.
 */
final class EchoServer implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    EchoServer() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        start(new Thread(this::acceptLoop, "echo-" + server.getLocalPort() + "-accept"));
    }

    int port() {
        return server.getLocalPort();
    }

    private synchronized void start(Thread t) {
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket s = server.accept();
                synchronized (this) {
                    sockets.add(s);
                }
                start(new Thread(() -> echo(s), "echo-" + port() + "-conn"));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private static void echo(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
            s.shutdownOutput();
        } catch (IOException e) {
            // the client or the proxy went away: nothing to echo to
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        List<Thread> all;
        synchronized (this) {
            for (Socket s : sockets) {
                s.close();
            }
            all = new ArrayList<>(threads);
        }
        for (Thread t : all) {
            TimeUnit.SECONDS.timedJoin(t, 10);
        }
    }
}
