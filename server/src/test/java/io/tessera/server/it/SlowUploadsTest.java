package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.SegmentSpace;
import io.tessera.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More stalled uploads than the engine has write lanes and I/O threads together, each stalled after
 * a few pieces: they hold no lane and no thread, the node keeps answering everything else, large
 * bodies included, and still shuts down within its bound. (Before bodies were written in pieces, each
 * held a lane until its end and the bodies beyond the lanes got SlowDown; before lanes were taken
 * asynchronously, they parked every engine thread for good.)
 */
class SlowUploadsTest {
    private static final int LANES = 4;
    private static final int STALLED = 10;
    private static final int PIECE = 64 << 10;
    /** What each stalled upload sends: three pieces and a bit. */
    private static final int SENT = 3 * PIECE + 1024;

    @TempDir
    Path dir;

    @Test
    void stalledUploadsHoldNoLaneAndNeverStopTheNode() throws IOException {
        ServerConfig c = TestNode.baseConfig(dir).withThreads(2, 2);
        c = c.withEngine(c.engine().withMaxWriteLanes(LANES).withLaneWait(Duration.ofMillis(500)).withPieceSize(PIECE))
                .withLimits(c.limits().withBodyAdmission(100, 512L << 20, 100, Duration.ofSeconds(10))
                        .withBodyTimeout(Duration.ofMinutes(2), 0).withShutdownTimeout(Duration.ofSeconds(2)));
        List<RawHttp> stalled = new ArrayList<>();
        TestNode node = TestNode.start(c);
        try {
            try (RawHttp setup = new RawHttp(node.port())) {
                setup.send(RawHttp.signedHead("PUT", node.port(), "/slow", Map.of("Content-Length", "0")));
                assertThat(setup.read(true).status()).isEqualTo(200);
            }
            for (int i = 0; i < STALLED; i++) {
                RawHttp s = new RawHttp(node.port());
                stalled.add(s);
                s.send(RawHttp.signedHead("PUT", node.port(), "/slow/k" + i, Map.of("Content-Length", "1048576")));
                s.send(new byte[SENT]); // then nothing more
            }
            // until every stalled body's whole pieces are on disk
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (appended(node) < (long) STALLED * 3 * PIECE && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(appended(node)).isGreaterThanOrEqualTo((long) STALLED * 3 * PIECE);
            assertThat(node.server().engine().busyWriteLanes()).as("lanes held by stalled bodies").isZero();

            try (RawHttp other = new RawHttp(node.port())) {
                other.socket.setSoTimeout(10_000);
                other.send(RawHttp.signedHead("GET", node.port(), "/", Map.of()));
                assertThat(other.read(true).status()).as("ListBuckets while uploads stall").isEqualTo(200);
                other.send(RawHttp.signedHead("HEAD", node.port(), "/slow", Map.of()));
                assertThat(other.read(false).status()).as("HeadBucket").isEqualTo(200);
                other.send(RawHttp.signedHead("PUT", node.port(), "/slow/small", Map.of("Content-Length", "3")));
                other.send(new byte[] {1, 2, 3});
                assertThat(other.read(true).status()).as("a small PutObject").isEqualTo(200);
                byte[] big = new byte[5 * PIECE + 7];
                other.send(RawHttp.signedHead("PUT", node.port(), "/slow/late",
                        Map.of("Content-Length", Integer.toString(big.length))));
                other.send(big);
                RawHttp.Response late = other.read(true);
                assertThat(late.status()).as("a PutObject of several pieces: " + late.text()).isEqualTo(200);
            }
            assertThat(node.server().engine().busyWriteLanes()).isZero();
        } finally {
            long started = System.nanoTime();
            node.close();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started))
                    .as("seconds to shut down with stalled uploads").isLessThan(15);
            stalled.forEach(RawHttp::close);
        }
    }

    /** Bytes in the node's segments beyond their headers: records appended (and none yet reclaimed here). */
    private static long appended(TestNode node) {
        return node.server().engine().space().values().stream()
                .mapToLong(sp -> sp.size() - SegmentSpace.HEADER_SIZE).sum();
    }
}
