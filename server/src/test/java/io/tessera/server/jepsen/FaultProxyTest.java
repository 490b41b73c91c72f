package io.tessera.server.jepsen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FaultProxy} in front of a real {@link EchoServer} on loopback: each fault acts on existing and
 * new connections, the counters show it, healing restores the link, and closing ends every thread.
 * Where a test must know that the proxy has handled bytes before it changes the fault, it waits for the
 * counters ({@link FaultProxy#awaitCounters}), never for a while; and it waits for every count it asserts
 * on, since a byte is counted just after it is written on, when its echo may already be back.
 */
class FaultProxyTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private EchoServer echo;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer();
        proxy = FaultProxy.start(echo.port());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        echo.close();
    }

    @Test
    void passForwardsBothWaysAndCountsIt() throws Exception {
        try (Socket s = connect(proxy.port())) {
            send(s, "hello");
            assertThat(read(s, 5)).isEqualTo("hello");
            ProxyCounters c = proxy.awaitCounters(
                    k -> k.forwarded(Direction.FROM_TARGET) == 5 && k.forwarded(Direction.TO_TARGET) == 5, BOUND);
            assertThat(c.accepted()).isEqualTo(1);
            assertThat(c.open()).isEqualTo(1);
            assertThat(c.dropped(Direction.TO_TARGET) + c.dropped(Direction.FROM_TARGET)).isZero();
        }
        // The client's close travels through as a half-close; the echo server closes back; the connection ends.
        proxy.awaitCounters(k -> k.open() == 0, BOUND);
    }

    @Test
    void forwardsMoreThanAHundredMegabytesPerSecondEachWay() throws Exception {
        int total = 256 * 1024 * 1024;
        byte[] block = new byte[256 * 1024];
        Arrays.fill(block, (byte) 7);
        try (Socket s = connect(proxy.port())) {
            long start = System.nanoTime();
            CompletableFuture<Long> back = CompletableFuture.supplyAsync(() -> drain(s, total));
            OutputStream out = s.getOutputStream();
            for (int sent = 0; sent < total; sent += block.length) {
                out.write(block);
            }
            assertThat(back.get(60, TimeUnit.SECONDS)).isEqualTo(total);
            double seconds = (System.nanoTime() - start) / 1e9;
            double mbPerSecond = total / 1e6 / seconds;
            System.out.printf("fault proxy: %d MiB each way in %.2f s, %.0f MB/s each way%n",
                    total >> 20, seconds, mbPerSecond);
            assertThat(mbPerSecond).as("MB/s each way through the proxy").isGreaterThan(100);
        }
    }

    @Test
    void cutResetsOpenConnectionsAndClosesNewOnesUntilHealed() throws Exception {
        try (Socket open = connect(proxy.port())) {
            send(open, "before");
            assertThat(read(open, 6)).isEqualTo("before");

            proxy.cut();
            assertClosedByPeer(open);
            assertThat(proxy.counters().cut()).isEqualTo(1);
        }
        try (Socket during = new Socket()) {
            during.setSoTimeout((int) BOUND.toMillis());
            during.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()));
            assertClosedByPeer(during);
        }
        ProxyCounters cut = proxy.awaitCounters(k -> k.refused() == 1 && k.open() == 0, BOUND);
        assertThat(cut.accepted()).isEqualTo(1);

        proxy.heal();
        try (Socket after = connect(proxy.port())) {
            send(after, "after");
            assertThat(read(after, 5)).isEqualTo("after");
        }
    }

    @Test
    void droppingFromTheTargetLetsRequestsThroughButNoAnswers() throws Exception {
        try (Socket s = connect(proxy.port())) {
            proxy.set(Direction.FROM_TARGET, LinkFault.drop());
            send(s, "hello");
            // The target got "hello" (one way works) and echoed it: the proxy read the echo and threw it away.
            ProxyCounters c = proxy.awaitCounters(
                    k -> k.dropped(Direction.FROM_TARGET) == 5 && k.forwarded(Direction.TO_TARGET) == 5, BOUND);
            assertThat(c.forwarded(Direction.FROM_TARGET)).isZero();

            proxy.heal();
            send(s, "world");
            assertThat(read(s, 5)).as("the first bytes back are the echo sent after healing").isEqualTo("world");
        }
    }

    @Test
    void droppingToTheTargetLetsNothingReachItWhileAnswersStillFlow() throws Exception {
        try (Socket s = connect(proxy.port())) {
            proxy.set(Direction.TO_TARGET, LinkFault.drop());
            send(s, "hello");
            ProxyCounters c = proxy.awaitCounters(k -> k.dropped(Direction.TO_TARGET) == 5, BOUND);
            assertThat(c.forwarded(Direction.TO_TARGET)).isZero();

            proxy.heal();
            send(s, "world");
            assertThat(read(s, 5)).as("the target's first bytes were those sent after healing").isEqualTo("world");
            assertThat(proxy.awaitCounters(k -> k.forwarded(Direction.FROM_TARGET) == 5, BOUND)
                    .dropped(Direction.TO_TARGET)).isEqualTo(5);
        }
    }

    @Test
    void delayHoldsEachChunkBackAndNeverReordersWhenLifted() throws Exception {
        Duration delay = Duration.ofMillis(400);
        try (Socket s = connect(proxy.port())) {
            proxy.set(Direction.TO_TARGET, LinkFault.delay(delay));
            long start = System.nanoTime();
            send(s, "first-");
            proxy.awaitCounters(k -> k.delayed(Direction.TO_TARGET) == 6, BOUND);

            // Lifting the delay while "first-" is held back: "second" is due at once, but must wait its turn.
            proxy.set(Direction.TO_TARGET, LinkFault.pass());
            send(s, "second");
            assertThat(read(s, 12)).isEqualTo("first-second");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
        }
    }

    @Test
    void delayDelaysEveryChunkAndTheBytesAllArrive() throws Exception {
        Duration delay = Duration.ofMillis(150);
        proxy.set(Direction.FROM_TARGET, LinkFault.delay(delay));
        try (Socket s = connect(proxy.port())) {
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                String chunk = "chunk-" + i + ";";
                long start = System.nanoTime();
                send(s, chunk);
                assertThat(read(s, chunk.length())).isEqualTo(chunk);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
                expected.append(chunk);
            }
            ProxyCounters c = proxy.awaitCounters(k -> k.forwarded(Direction.FROM_TARGET) == expected.length(), BOUND);
            assertThat(c.delayed(Direction.FROM_TARGET)).isEqualTo(expected.length());
        }
    }

    @Test
    void aTargetThatIsDownIsARefusalNotAHang() throws Exception {
        int deadPort;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = gone.getLocalPort();
        }
        try (FaultProxy toNothing = FaultProxy.start(deadPort); Socket s = new Socket()) {
            s.setSoTimeout((int) BOUND.toMillis());
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), toNothing.port()));
            assertClosedByPeer(s);
            assertThat(toNothing.awaitCounters(k -> k.refused() == 1, BOUND).accepted()).isZero();
        }
    }

    @Test
    void closeEndsEveryThreadClosesConnectionsAndReleasesThePort() throws Exception {
        List<Socket> clients = List.of(connect(proxy.port()), connect(proxy.port()), connect(proxy.port()));
        for (Socket s : clients) {
            send(s, "x");
            assertThat(read(s, 1)).isEqualTo("x");
        }
        proxy.set(Direction.FROM_TARGET, LinkFault.delay(Duration.ofSeconds(30))); // a line with a chunk waiting
        send(clients.get(0), "held");
        proxy.awaitCounters(k -> k.delayed(Direction.FROM_TARGET) == 4, BOUND);
        String prefix = proxy.threadNamePrefix();
        assertThat(liveThreads(prefix)).hasSize(1 + 3 * 4);

        proxy.close();

        assertThat(liveThreads(prefix)).isEmpty();
        for (Socket s : clients) {
            assertClosedByPeer(s);
            s.close();
        }
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()));
            assertThat(again.getLocalPort()).isEqualTo(proxy.port());
        }
        proxy.close(); // twice is harmless
    }

    private static List<String> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive).map(Thread::getName).filter(n -> n.startsWith(prefix)).toList();
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout((int) BOUND.toMillis());
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    private static String read(Socket s, int n) throws IOException {
        return new String(s.getInputStream().readNBytes(n), StandardCharsets.US_ASCII);
    }

    /** The peer closed or reset the connection: a read ends at once, and not by the socket's timeout. */
    private static void assertClosedByPeer(Socket s) {
        try {
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        } catch (IOException e) {
            assertThat(e).isInstanceOf(SocketException.class);
        }
    }

    private static long drain(Socket s, long expected) {
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256 * 1024];
            long got = 0;
            int n;
            while (got < expected && (n = in.read(buf)) >= 0) {
                got += n;
            }
            return got;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
