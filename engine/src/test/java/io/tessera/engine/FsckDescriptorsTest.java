package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.testkit.TestEngines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fsck keeps few segment files open at once, however many segments it checks: it used to hold every
 * one until the end of its scan, and a long stress run's final check ran out of descriptors.
 */
class FsckDescriptorsTest {
    private static final int OBJECTS = 1500;
    /** fsck's own bound, and room for the lanes' active segments. */
    private static final int MAX_OPEN = 256 + 16;

    @TempDir
    Path dir;

    @Test
    void checkingManySegmentsKeepsFewFilesOpen() throws Exception {
        try (Engine e = Engine.open(TestEngines.config(dir).withSegmentSize(64 << 10).withSmallBodyLimit(0))) {
            e.createBucket("b", OWNER);
            for (int i = 0; i < OBJECTS; i++) {
                TestEngines.put(e, "b", "k" + i, TestEngines.bytes(i, 40_000));
            }
            assertThat(e.space()).as("segments").hasSizeGreaterThan(2 * MAX_OPEN);

            AtomicBoolean done = new AtomicBoolean();
            AtomicLong peak = new AtomicLong();
            Thread sampler = new Thread(() -> {
                while (!done.get()) {
                    peak.accumulateAndGet(openSegmentFiles(), Math::max);
                }
            });
            sampler.start();
            FsckReport report;
            try {
                report = e.fsck(false);
            } finally {
                done.set(true);
                sampler.join();
            }
            assertThat(report.problems()).isEmpty();
            assertThat(peak.get()).as("segment files open at once during fsck").isLessThanOrEqualTo(MAX_OPEN);
        }
    }

    private long openSegmentFiles() {
        String segments = dir.resolve("segments").toString();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith(segments);
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
