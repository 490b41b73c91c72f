package io.tessera.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The {@code manyparts} phase: its options, its table, and a run against a node started from the
 * server's classes with uploads of 1 001 parts (so that ListParts' first page is a full one).
 */
class ManyPartsTest {

    private static ManyParts.Plan plan(String... args) {
        LoadDriver driver = new LoadDriver();
        new CommandLine(driver).parseArgs(args);
        return driver.manyPlan();
    }

    @Test
    void theOptionsDefaultToTenThousandTinyPartsThreeTimes() {
        assertEquals(new ManyParts.Plan(10_000, 16, 8, 3, 120), plan());
        assertEquals(new ManyParts.Plan(500, 1, 2, 5, 30), plan("--many-parts", "500", "--many-part-bytes", "1",
                "--many-threads", "2", "--many-repeats", "5", "--max-seconds", "30"));
        for (String[] bad : List.of(new String[] {"--many-parts", "10001"}, new String[] {"--many-parts", "0"},
                new String[] {"--many-part-bytes", "0"}, new String[] {"--many-threads", "0"},
                new String[] {"--many-repeats", "0"}, new String[] {"--many-warmups", "-1"})) {
            assertThrows(CommandLine.ParameterException.class, () -> plan(bad), String.join(" ", bad));
        }
        String usage = new CommandLine(new LoadDriver()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertTrue(usage.contains("manyparts"), usage);
        assertTrue(usage.contains("--many-parts"), usage);
    }

    /** A many-parts row: {@code ops} requests of which the median took {@code p50} ms and the slowest {@code max}. */
    private static Result row(String phase, int threads, long ops, double p50, double max, double nodeCpu) {
        return new Result(phase, null, threads, ops, 0, 0, 1.0, p50, max, max, nodeCpu, 0.3, 1.5, Result.Floor.NONE);
    }

    private static List<Result> round(double completeP50, double completeMax) {
        List<String> names = ManyParts.phases(new ManyParts.Plan(10_000, 16, 8, 3, 120));
        return List.of(row(names.get(0), 8, 60_000, 1.1, 40, 30), row(names.get(1), 1, 3, 9, 12, 0.03),
                row(names.get(2), 1, 3, completeP50, completeMax, 0.3), row(names.get(3), 1, 3, 20, 25, 0.06));
    }

    @Test
    void theTableGivesTheMedianAndTheSlowestRequestOfEachKind() {
        String table = ResultTable.render(List.of(round(150, 170), round(90, 400), round(120, 130)));
        List<String> lines = table.lines().toList();
        assertEquals("round 1", lines.get(0));
        assertTrue(lines.get(1).startsWith("phase ") && lines.get(1).contains("max ms"), table);
        assertFalse(table.contains("floor"), "no main table without its rows:\n" + table);
        String medians = table.substring(table.indexOf("medians over 3 rounds"));
        String complete = medians.lines().filter(l -> l.startsWith("many parts: Complete 10000 parts ")).findFirst()
                .orElseThrow();
        // p50: the median of 150, 90, 120; max: the slowest of any round; node CPU 0.3 s over 3 requests
        assertTrue(complete.matches(".* 120\\.00 +400\\.00 +100\\.00 .*"), complete);
        int width = lines.get(1).length();
        for (String line : lines.subList(1, 7)) {
            assertEquals(width, line.length(), "\n" + table);
        }
        assertTrue(table.endsWith(ResultTable.MANY_LEGEND), table);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void completeAbortAndListOfUploadsOfManyPartsRunAgainstANode(@TempDir Path dir) throws Exception {
        LoadDriver driver = new LoadDriver();
        new CommandLine(driver).parseArgs("--node-class-path", nodeClassPath(), "--work-dir", dir.toString(),
                "--node-heap", "256m", "--phases", "manyparts", "--many-parts", "1001", "--many-part-bytes", "7",
                "--many-threads", "4", "--many-repeats", "1", "--many-warmups", "1", "--warmup-rounds", "0",
                "--max-seconds", "120");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LoadDriver.Report r;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            r = driver.load(out);
        }
        String log = printed.toString(StandardCharsets.UTF_8);
        System.out.println(log);

        assertTrue(r.nodesAlive(), "the node died:\n" + log);
        assertEquals(0, r.errors(), "failed requests " + r.errorSamples() + ":\n" + log);
        List<Result> round = r.rounds().get(0);
        assertEquals(List.of("many parts: UploadPart 7B/4", "many parts: ListParts page 1 of 1001/1",
                "many parts: Complete 1001 parts/1", "many parts: Abort 1001 parts/1"),
                round.stream().map(Result::key).toList(), log);
        assertEquals(2 * 1001, round.get(0).ops(), log);
        assertEquals(2L * 1001 * 7, round.get(0).bytes(), log);
        for (Result res : round.subList(1, 4)) {
            assertEquals(1, res.ops(), res.key() + "\n" + log);
            assertTrue(res.p50Ms() > 0 && res.maxMs() >= res.p50Ms(), res + "\n" + log);
            assertTrue(res.nodeCpu() >= 0, "no node CPU for " + res.key() + ":\n" + log);
        }
        assertTrue(r.header().contains("-Dtessera.minPartSize=7"), r.header());
        assertTrue(r.table().lines().anyMatch(l -> l.startsWith("many parts: Complete 1001 parts ")), r.table());
        assertFalse(log.contains("FAILED REQUESTS"), log);
    }

    /** This test's class path (the server and its dependencies), without the no-op SLF4J binding of the bench. */
    private static String nodeClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("slf4j-nop"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
