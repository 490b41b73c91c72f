package io.tessera.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench/load.sh} in miniature against two nodes started from the server's classes (one over
 * http, one over HTTPS with the driver's own certificate): every phase and payload mode at 1 and 2
 * threads with tiny sizes. Every row of the table is there, with positive throughput, node CPU, a
 * finite ratio to its floor where it has one, the UploadParts carried the modes' payload tokens, and no
 * request failed.
 */
class LoadSmokeTest {

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyPhaseAndModeRunsAndIsHeldAgainstItsFloor(@TempDir Path dir) throws Exception {
        LoadDriver driver = new LoadDriver();
        new CommandLine(driver).parseArgs("--node-class-path", nodeClassPath(), "--work-dir", dir.toString(),
                "--node-heap", "256m", "--modes", "signed,unsigned,tls", "--threads", "1,2", "--part-mib", "5",
                "--ingest-mib", "10", "--warmup-mib", "5", "--small-threads", "2", "--small-count", "40",
                "--get-mib", "2", "--get-count", "4", "--floor-mib", "16", "--max-seconds", "60", "--rounds", "1");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LoadDriver.Report r;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            r = driver.load(out);
        }
        String log = printed.toString(StandardCharsets.UTF_8);
        System.out.println(log);

        assertTrue(r.nodesAlive(), "a node died:\n" + log);
        assertEquals(0, r.errors(), "failed requests " + r.errorSamples() + ":\n" + log);
        assertEquals(1, r.rounds().size());
        List<Result> round = r.rounds().get(0);
        List<String> expected = List.of("floor: MD5+SHA-256/1", "floor: MD5+CRC32/1",
                "multipart 5MiB signed/1", "multipart 5MiB signed/2", "multipart 5MiB unsigned/1",
                "multipart 5MiB unsigned/2", "multipart 5MiB tls/1", "multipart 5MiB tls/2",
                "small PUT 4096B/2", "small GET 4096B/2", "GET 2MiB object/1", "GET 2MiB, plain reader/1",
                "raw sendfile 2MiB/1");
        assertEquals(expected, round.stream().map(Result::key).toList(), log);
        for (Result res : round) {
            assertTrue(res.ops() > 0 && res.megabytesPerSecond() > 0, res + "\n" + log);
        }
        // The node's CPU comes in clock ticks (10 ms): a tiny phase may read 0, but never unknown.
        for (Result res : round.subList(2, 12)) {
            assertTrue(res.nodeCpu() >= 0, "no node CPU for " + res.key() + ":\n" + log);
        }
        double ingestCpu = round.stream().filter(res -> res.mode() != null).mapToDouble(Result::nodeCpu).sum();
        assertTrue(ingestCpu > 0, "no node CPU for ingest:\n" + log);
        for (Result res : round) {
            boolean heldAgainstFloor = res.mode() != null || res.phase().startsWith("GET ");
            if (heldAgainstFloor) {
                double ratio = res.floor().ratio();
                assertTrue(Double.isFinite(ratio) && ratio > 0, "ratio of " + res.key() + " is " + ratio + ":\n" + log);
            }
        }
        assertEquals(ResultTable.tlsCost(round.stream().map(ResultTable.Row::of).toList()).keySet(), Set.of(1, 2));

        for (String key : expected) {
            String phase = key.substring(0, key.lastIndexOf('/'));
            assertTrue(r.table().lines().anyMatch(l -> l.startsWith(phase + " ")), "no row " + phase + ":\n" + log);
        }
        assertTrue(r.table().contains("tls cost, node CPU-s/GB (tls - unsigned):  1 thr "), r.table());
        String wire = r.header().lines().filter(l -> l.startsWith("# on the wire")).findFirst().orElse(null);
        assertNotNull(wire, r.header());
        assertTrue(wire.contains("signed {STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER="), wire);
        assertTrue(wire.contains("unsigned {STREAMING-UNSIGNED-PAYLOAD-TRAILER="), wire);
        assertTrue(wire.contains("tls {STREAMING-UNSIGNED-PAYLOAD-TRAILER="), wire);
        assertTrue(r.header().contains("# https node: TLS by "), r.header());
        assertFalse(log.contains("FAILED REQUESTS"), log);
    }

    /** This test's class path (the server and its dependencies), without the no-op SLF4J binding of the bench. */
    private static String nodeClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("slf4j-nop"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
