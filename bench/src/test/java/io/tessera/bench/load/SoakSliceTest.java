package io.tessera.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.bench.load.NodeVitals.Sample;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A 30-second slice of {@code bench/soak.sh} against a node started from the server's classes: every
 * request of the mixed workload succeeds and reads back what was written, and after the warm-up the
 * node's open file descriptors and resident memory stay within a fixed allowance over thousands of
 * requests (a leak per request would exceed it many times over).
 */
class SoakSliceTest {
    private static final long MIB = 1 << 20;
    private static final int FD_ALLOWANCE = 32;
    private static final long RSS_ALLOWANCE = 192 * MIB;
    private static final long WARMUP_SECONDS = 8;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void descriptorsAndResidentMemoryStayBounded(@TempDir Path dir) throws Exception {
        SoakDriver driver = new SoakDriver();
        new CommandLine(driver).parseArgs("--minutes", "0.5", "--threads", "3", "--sample-seconds", "2",
                "--warmup-seconds", Long.toString(WARMUP_SECONDS), "--node-heap", "256m",
                "--node-class-path", nodeClassPath(), "--work-dir", dir.toString());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SoakDriver.Report r;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            r = driver.soak(out);
        }
        String log = printed.toString(StandardCharsets.UTF_8);
        System.out.println(log);

        assertTrue(r.nodeAlive(), "the node died:\n" + log);
        assertEquals(0, r.errors(), "failed requests: " + r.errorMessages());
        assertTrue(r.operations() >= 300, "only " + r.operations() + " operations:\n" + log);
        List<Sample> samples = r.samples();
        long start = samples.get(0).nanos();
        List<Sample> steady = samples.stream().filter(s -> s.nanos() - start >= WARMUP_SECONDS * 1_000_000_000L)
                .toList();
        assertTrue(steady.size() >= 5, "too few readings after the warm-up:\n" + log);
        Sample warm = steady.get(0);
        for (Sample s : steady) {
            assertTrue(s.fds() > 0 && s.fds() <= warm.fds() + FD_ALLOWANCE, "descriptors grew from " + warm.fds()
                    + " to " + s.fds() + ":\n" + log);
            assertTrue(s.rss() > 0 && s.rss() <= warm.rss() + RSS_ALLOWANCE, "resident memory grew from "
                    + warm.rss() / MIB + " MiB to " + s.rss() / MIB + " MiB:\n" + log);
        }
        assertTrue(log.contains("verdict: "), log);
    }

    /** This test's class path (the server and its dependencies), without the no-op SLF4J binding of the bench. */
    private static String nodeClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("slf4j-nop"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
