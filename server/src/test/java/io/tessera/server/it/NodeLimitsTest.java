package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.EngineConfig;
import io.tessera.server.ServerConfig;
import io.tessera.server.netty.ListenerStats;
import io.tessera.server.netty.NettyLimits;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The limits that keep a node serving under slow, careless or hostile clients, each through a real
 * node with small limits: the request head deadline (slowloris), the body stall and minimum-rate
 * timeout, the admission of request bodies, the connection cap, and the bounded graceful shutdown.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeLimitsTest {
    private static final String BUCKET = "limits";

    @TempDir
    Path dir;
    private final ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);

    @AfterEach
    void stopPacer() {
        pacer.shutdownNow();
    }

    private TestNode start(UnaryOperator<NettyLimits> limits) {
        ServerConfig c = TestNode.baseConfig(dir);
        return TestNode.start(c.withLimits(limits.apply(c.limits())));
    }

    /**
     * A node whose body bounds are node-wide only: one client may take all of them, and no body is small
     * (small ones are admitted by memory alone; {@code SlowBodiesFairnessTest} has both).
     */
    private TestNode startWithNodeWideBounds(UnaryOperator<NettyLimits> limits) {
        ServerConfig c = TestNode.baseConfig(dir);
        return TestNode.start(c.withEngine(c.engine().withSmallBodyLimit(0))
                .withLimits(limits.apply(c.limits()).withMaxClientShare(100)));
    }

    /** Creates the test bucket over a raw connection (SDK clients would hold pooled connections open). */
    private static void createBucket(TestNode node) {
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("PUT", node.port(), "/" + BUCKET, Map.of("Content-Length", "0")));
            assertThat(c.read(true).status()).isEqualTo(200);
        }
    }

    private static String putHead(TestNode node, String key, long length) {
        return RawHttp.signedHead("PUT", node.port(), "/" + BUCKET + "/" + key,
                Map.of("Content-Length", Long.toString(length)));
    }

    private static RawHttp.Response headBucket(TestNode node, RawHttp c) {
        c.send(RawHttp.signedHead("HEAD", node.port(), "/" + BUCKET, Map.of()));
        return c.read(false);
    }

    /** Sends {@code piece} to {@code c} every {@code periodMillis}, {@code times} times, from the pacer. */
    private void dribble(RawHttp c, byte[] piece, long periodMillis, int times) {
        AtomicInteger sent = new AtomicInteger();
        pacer.scheduleAtFixedRate(() -> {
            if (sent.getAndIncrement() >= times) {
                throw new IllegalStateException("done"); // ends the schedule
            }
            try {
                c.out.write(piece);
                c.out.flush();
            } catch (IOException e) {
                throw new IllegalStateException("the node hung up", e);
            }
        }, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** A bounded wait on a condition of the node. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The connection ends (EOF or reset) within {@code within}, without any answer. */
    private static void assertClosedWithoutAnswer(RawHttp c, Duration within) throws IOException {
        c.socket.setSoTimeout((int) within.toMillis());
        try {
            assertThat(c.in.read()).as("bytes from a connection that should be closed").isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection was still open after " + within, e);
        } catch (SocketException e) {
            // reset: closed too
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    @Test
    void aClientDribblingItsRequestHeadIsCutWithinTheHeaderTimeout() throws Exception {
        try (TestNode node = start(l -> l.withHeaderTimeout(Duration.ofMillis(700)))) {
            createBucket(node);
            try (RawHttp slow = new RawHttp(node.port())) {
                long start = System.nanoTime();
                slow.send("GET /" + BUCKET + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
                // a header line every 100 ms: never idle, never done
                dribble(slow, "X-Slow: y\r\n".getBytes(StandardCharsets.US_ASCII), 100, 200);
                RawHttp.Response r = slow.read(true);
                long ms = millisSince(start);
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.text()).contains("<Code>RequestTimeout</Code>");
                assertThat(r.headers().get("connection")).isEqualTo("close");
                assertClosedWithoutAnswer(slow, Duration.ofSeconds(3));
                assertThat(ms).isBetween(600L, 3_000L);
            }
            assertThat(node.server().listenerStats().headerTimeouts()).isEqualTo(1);
            try (RawHttp c = new RawHttp(node.port())) {
                assertThat(headBucket(node, c).status()).isEqualTo(200);
            }
        }
    }

    @Test
    void aStalledBodyGetsRequestTimeoutItsBytesAreAbandonedAndOthersAreServedMeanwhile() throws Exception {
        ServerConfig c = TestNode.baseConfig(dir);
        // One write lane: a lane the abandoned body leaked would stop every later upload.
        EngineConfig oneLane = c.engine().withMaxWriteLanes(1);
        NettyLimits limits = c.limits().withBodyTimeout(Duration.ofMillis(1000), 0);
        try (TestNode node = TestNode.start(c.withEngine(oneLane).withLimits(limits));
             S3Client s3 = node.client(true)) {
            s3.createBucket(b -> b.bucket(BUCKET));
            s3.putObject(r -> r.bucket(BUCKET).key("other"), RequestBody.fromString("still here"));
            try (RawHttp stalled = new RawHttp(node.port())) {
                stalled.send(putHead(node, "stalled", 1 << 20));
                stalled.send(new byte[256 * 1024]);
                long stallStart = System.nanoTime();
                await("the stalled body holds its admission", () ->
                        node.server().listenerStats().admittedBodies() == 1);
                // the node serves others while that client stalls
                assertThat(s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("other")).asUtf8String())
                        .isEqualTo("still here");
                long servedAt = millisSince(stallStart);
                RawHttp.Response r = stalled.read(true);
                long answeredAt = millisSince(stallStart);
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.text()).contains("<Code>RequestTimeout</Code>").contains("<Message>Your socket"
                        + " connection to the server was not read from or written to within the timeout period."
                        + " Idle connections will be closed.</Message>");
                assertThat(r.headers().get("connection")).isEqualTo("close");
                assertClosedWithoutAnswer(stalled, Duration.ofSeconds(3));
                assertThat(servedAt).isLessThan(answeredAt);
                assertThat(answeredAt).isBetween(900L, 4_000L);
            }
            // the lane came back: an upload can be written; the stalled key never became visible
            s3.putObject(r -> r.bucket(BUCKET).key("after"), RequestBody.fromBytes(new byte[300_000]));
            assertThat(s3.headObject(r -> r.bucket(BUCKET).key("after")).contentLength()).isEqualTo(300_000);
            assertThatThrownBy(() -> s3.headObject(r -> r.bucket(BUCKET).key("stalled")))
                    .isInstanceOf(NoSuchKeyException.class);
            ListenerStats stats = node.server().listenerStats();
            assertThat(stats.bodyTimeouts()).isEqualTo(1);
            assertThat(stats.admittedBodies()).isZero();
        }
    }

    @Test
    void aBodyTricklingBelowTheMinimumRateIsCutThoughNeverIdle() throws Exception {
        try (TestNode node = start(l -> l.withBodyTimeout(Duration.ofMillis(1000), 64 * 1024))) {
            createBucket(node);
            try (RawHttp trickle = new RawHttp(node.port())) {
                trickle.send(putHead(node, "trickle", 100_000));
                long start = System.nanoTime();
                dribble(trickle, new byte[1], 50, 2_000); // 20 bytes a second, a byte every 50 ms
                RawHttp.Response r = trickle.read(true);
                long ms = millisSince(start);
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.text()).contains("<Code>RequestTimeout</Code>");
                assertThat(ms).isBetween(900L, 4_000L);
            }
        }
    }

    @Test
    void overTheBodyBoundAPutGetsSlowDownAtOnceWhileAdmittedAndQueuedBodiesFinish() throws Exception {
        // One body at a time, one waiting; a body timeout shorter than the queued request's wait, which must
        // not count against it.
        try (TestNode node = startWithNodeWideBounds(l -> l.withBodyAdmission(1, 64L << 20, 1, Duration.ofSeconds(20))
                .withBodyTimeout(Duration.ofMillis(500), 0))) {
            createBucket(node);
            byte[] slowBody = new byte[100 * 1024];
            Arrays.fill(slowBody, (byte) 's');
            byte[] queuedBody = "queued body".getBytes(StandardCharsets.UTF_8);
            try (RawHttp admitted = new RawHttp(node.port()); RawHttp queued = new RawHttp(node.port());
                 RawHttp refused = new RawHttp(node.port())) {
                admitted.send(putHead(node, "admitted", slowBody.length));
                dribble(admitted, Arrays.copyOf(slowBody, 10 * 1024), 100, 10); // about a second in all
                await("the first body is admitted", () -> node.server().listenerStats().admittedBodies() == 1);
                queued.send(putHead(node, "queued", queuedBody.length));
                queued.send(queuedBody);
                await("the second waits", () -> node.server().listenerStats().waitingBodies() == 1);

                long start = System.nanoTime();
                refused.send(putHead(node, "refused", 10));
                refused.send("0123456789");
                RawHttp.Response r = refused.read(true);
                long ms = millisSince(start);
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.text()).contains("<Code>SlowDown</Code>")
                        .contains("<Message>Please reduce your request rate.</Message>");
                assertThat(r.headers().get("retry-after")).isEqualTo("1");
                assertThat(ms).isLessThan(500);
                assertThat(node.server().listenerStats().admittedBodies()).isEqualTo(1);

                assertThat(admitted.read(true).status()).isEqualTo(200);
                long queuedFor = millisSince(start);
                assertThat(queued.read(true).status()).isEqualTo(200);
                assertThat(queuedFor).as("the queued request waited longer than the body timeout")
                        .isGreaterThan(500);
                admitted.send(RawHttp.signedHead("GET", node.port(), "/" + BUCKET + "/queued", Map.of()));
                assertThat(admitted.read(true).body()).isEqualTo(queuedBody);
            }
            ListenerStats stats = node.server().listenerStats();
            assertThat(stats.refusedBodies()).isEqualTo(1);
            assertThat(stats.bodyTimeouts()).isZero();
            assertThat(stats.admittedBodies()).isZero();
        }
    }

    @Test
    void aRequestWaitsForAdmissionOnlySoLongAndBodiesAreBoundedByMemoryToo() throws Exception {
        try (TestNode node = startWithNodeWideBounds(l -> l.withBodyAdmission(8, 150 * 1024, 1,
                Duration.ofMillis(400)))) {
            createBucket(node);
            try (RawHttp holder = new RawHttp(node.port()); RawHttp waiter = new RawHttp(node.port());
                 RawHttp refused = new RawHttp(node.port())) {
                holder.send(putHead(node, "holder", 100_000));
                holder.send(new byte[1000]);
                await("the first body is admitted", () -> node.server().listenerStats().admittedBodies() == 1);
                // 100 000 bytes reserved of 150 KiB: the next 100 000 cannot be, though 7 more bodies could
                long start = System.nanoTime();
                waiter.send(putHead(node, "waiter", 100_000));
                await("the second waits", () -> node.server().listenerStats().waitingBodies() == 1);
                refused.send(putHead(node, "refused", 100_000));
                RawHttp.Response now = refused.read(true);
                assertThat(now.status()).isEqualTo(503);
                assertThat(now.text()).contains("<Code>SlowDown</Code>");
                assertThat(millisSince(start)).isLessThan(400);
                RawHttp.Response later = waiter.read(true);
                long waited = millisSince(start);
                assertThat(later.status()).isEqualTo(503);
                assertThat(later.text()).contains("<Code>SlowDown</Code>");
                assertThat(later.headers().get("retry-after")).isEqualTo("1");
                assertThat(waited).isBetween(350L, 3_000L);
            }
            assertThat(node.server().listenerStats().refusedBodies()).isEqualTo(2);
        }
    }

    /**
     * A large body reserves its read window and the piece buffer the engine collects it in: a whole piece
     * once it is announced at half a piece or more, else a buffer of its own length.
     */
    @Test
    void aLargeBodyReservesTheEnginesPieceBufferBesideItsWindow() throws Exception {
        try (TestNode node = start(l -> l)) {
            createBucket(node);
            long piece = node.server().engine().config().pieceSize();
            long threeQuarters = piece * 3 / 4;
            long quarter = piece / 4;
            try (RawHttp big = new RawHttp(node.port()); RawHttp shorter = new RawHttp(node.port())) {
                big.send(putHead(node, "big", threeQuarters));
                big.send(new byte[1000]);
                await("the first body is admitted", () -> node.server().listenerStats().admittedBodies() == 1);
                assertThat(node.server().listenerStats().admittedBodyBytes()).isEqualTo(threeQuarters + piece);
                shorter.send(putHead(node, "shorter", quarter));
                shorter.send(new byte[1000]);
                await("the second body is admitted", () -> node.server().listenerStats().admittedBodies() == 2);
                assertThat(node.server().listenerStats().admittedBodyBytes())
                        .isEqualTo(threeQuarters + piece + quarter + quarter);
            }
        }
    }

    @Test
    void overTheConnectionCapNewConnectionsAreClosedWhileOpenOnesKeepWorking() throws Exception {
        try (TestNode node = start(l -> l.withMaxConnections(2))) {
            createBucket(node);
            await("the bucket's connection is gone", () -> node.server().listenerStats().openConnections() == 0);
            try (RawHttp first = new RawHttp(node.port()); RawHttp second = new RawHttp(node.port())) {
                assertThat(headBucket(node, first).status()).isEqualTo(200);
                assertThat(headBucket(node, second).status()).isEqualTo(200);
                try (RawHttp third = new RawHttp(node.port())) {
                    assertClosedWithoutAnswer(third, Duration.ofSeconds(5));
                }
                assertThat(headBucket(node, first).status()).isEqualTo(200);
                assertThat(headBucket(node, second).status()).isEqualTo(200);
                ListenerStats stats = node.server().listenerStats();
                assertThat(stats.refusedConnections()).isEqualTo(1);
                assertThat(stats.openConnections()).isEqualTo(2);
                first.close();
                await("the closed connection is counted out",
                        () -> node.server().listenerStats().openConnections() == 1);
                try (RawHttp again = new RawHttp(node.port())) {
                    assertThat(headBucket(node, again).status()).isEqualTo(200);
                }
            }
        }
    }

    @Test
    void closeWithStalledClientsReturnsWithinItsBound() throws Exception {
        Duration bound = Duration.ofMillis(1500);
        TestNode node = start(l -> l.withShutdownTimeout(bound));
        RawHttp idle = null;
        RawHttp midHead = null;
        RawHttp midBody = null;
        RawHttp notReading = null;
        try {
            createBucket(node);
            try (S3Client s3 = node.client(true)) {
                s3.putObject(r -> r.bucket(BUCKET).key("big"), RequestBody.fromBytes(new byte[48 << 20]));
            }
            idle = new RawHttp(node.port());
            assertThat(headBucket(node, idle).status()).isEqualTo(200);
            midHead = new RawHttp(node.port());
            midHead.send("PUT /" + BUCKET + "/x HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            midBody = new RawHttp(node.port());
            midBody.send(putHead(node, "half", 1 << 20));
            midBody.send(new byte[100_000]);
            notReading = new RawHttp(node.port());
            notReading.send(RawHttp.signedHead("GET", node.port(), "/" + BUCKET + "/big", Map.of()));
            assertThat(notReading.read(false).status()).isEqualTo(200); // then it reads no more
            await("the body is admitted", () -> node.server().listenerStats().admittedBodies() == 1);

            long start = System.nanoTime();
            node.close();
            long ms = millisSince(start);
            assertThat(ms).as("close() waits for the stalled requests, up to its bound")
                    .isBetween(bound.toMillis() - 100, bound.toMillis() + 5_000);
            assertClosedWithoutAnswer(idle, Duration.ofSeconds(1));
            assertClosedWithoutAnswer(midHead, Duration.ofSeconds(1));
            assertThat(midBody.closedByServer()).isTrue();
            // the download was cut: its bytes end before the 48 MiB it announced
            notReading.socket.setSoTimeout(5000);
            long got = 0;
            byte[] buf = new byte[1 << 16];
            int n;
            try {
                while ((n = notReading.in.read(buf)) > 0) {
                    got += n;
                }
            } catch (SocketException e) {
                // reset: cut too
            }
            assertThat(got).isLessThan(48L << 20);
        } finally {
            for (RawHttp c : new RawHttp[] {idle, midHead, midBody, notReading}) {
                if (c != null) {
                    c.close();
                }
            }
            node.close();
        }
    }
}
