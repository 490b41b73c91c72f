package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.EngineConfig;
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
 * More stalled uploads than the engine has write lanes and I/O threads together: the node keeps
 * answering everything else, refuses further bodies with SlowDown, and still shuts down within its
 * bound. (Before write lanes were taken asynchronously, the bodies beyond the lanes parked every
 * engine thread for good.)
 */
class SlowUploadsTest {
    private static final int LANES = 4;
    private static final int STALLED = 10;

    @TempDir
    Path dir;

    @Test
    void stalledUploadsBeyondTheLanesNeverStopTheNode() throws IOException {
        ServerConfig c = TestNode.baseConfig(dir).withThreads(2, 2);
        c = c.withEngine(c.engine().withMaxWriteLanes(LANES).withLaneWait(Duration.ofMillis(500)))
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
                s.send(new byte[1024]); // then nothing more
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (node.server().engine().busyWriteLanes() < LANES && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(node.server().engine().busyWriteLanes()).isEqualTo(LANES);

            try (RawHttp other = new RawHttp(node.port())) {
                other.socket.setSoTimeout(10_000);
                other.send(RawHttp.signedHead("GET", node.port(), "/", Map.of()));
                assertThat(other.read(true).status()).as("ListBuckets while uploads stall").isEqualTo(200);
                other.send(RawHttp.signedHead("HEAD", node.port(), "/slow", Map.of()));
                assertThat(other.read(false).status()).as("HeadBucket").isEqualTo(200);
                // a small body of announced length needs no lane (SmallPutsTest); a bigger one does
                other.send(RawHttp.signedHead("PUT", node.port(), "/slow/small", Map.of("Content-Length", "3")));
                other.send(new byte[] {1, 2, 3});
                assertThat(other.read(true).status()).as("a small PutObject").isEqualTo(200);
                byte[] big = new byte[(int) EngineConfig.DEFAULT_SMALL_BODY_LIMIT + 1];
                other.send(RawHttp.signedHead("PUT", node.port(), "/slow/late",
                        Map.of("Content-Length", Integer.toString(big.length))));
                other.send(big);
                RawHttp.Response late = other.read(true);
                assertThat(late.status()).as(late.text()).isEqualTo(503);
                assertThat(late.text()).contains("<Code>SlowDown</Code>");
                assertThat(late.headers()).containsKey("retry-after");
            }
        } finally {
            long started = System.nanoTime();
            node.close();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started))
                    .as("seconds to shut down with stalled uploads").isLessThan(15);
            stalled.forEach(RawHttp::close);
        }
    }
}
