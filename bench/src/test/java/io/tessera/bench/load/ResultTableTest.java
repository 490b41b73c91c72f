package io.tessera.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table's medians, ratios and TLS cost, from results made up so that each figure is known. */
class ResultTableTest {
    private static final long GB = 1_000_000_000L;

    /** An ingest of 1 GB in {@code seconds} that cost the node {@code nodeCpu} CPU-seconds. */
    private static Result ingest(PayloadMode mode, double seconds, double nodeCpu) {
        return new Result("multipart 8MiB " + mode.label(), mode, 2, 120, 0, GB, seconds, 50, 90, 95, nodeCpu, 4.0, 1.0,
                Result.Floor.NONE);
    }

    private static List<Result> round(double signedCpu, double unsignedCpu, double tlsCpu, double getSeconds) {
        Result floor = Result.floor(HashFloor.Kind.MD5_SHA256.phase(), 100, GB, 2.0, new Latencies(), 1.0);
        Result trailer = Result.floor(HashFloor.Kind.MD5_CRC32.phase(), 100, GB, 1.5, new Latencies(), 1.0);
        Result get = new Result("GET 64MiB object", null, 1, 40, 0, GB, getSeconds, 70, 80, 85, 0.5, 1.0, 1.0,
                Result.Floor.NONE);
        return List.of(floor, trailer, ingest(PayloadMode.SIGNED, 4, signedCpu).againstCpuFloor(2.0),
                ingest(PayloadMode.UNSIGNED, 4, unsignedCpu).againstCpuFloor(1.5),
                ingest(PayloadMode.TLS, 4, tlsCpu).againstCpuFloor(1.5), get.againstCeiling(1000));
    }

    @Test
    void ratiosAreNodeCpuOverTheFloorAndGetThroughputOverTheCeiling() {
        List<Result> r = round(3.0, 1.8, 2.4, 2.0);
        assertEquals(2.0, r.get(0).floor().value(), 1e-9);
        assertEquals(1.5, r.get(2).floor().ratio(), 1e-9);
        assertEquals(1.2, r.get(3).floor().ratio(), 1e-9);
        assertEquals(0.5, r.get(5).floor().ratio(), 1e-9); // 500 MB/s against a 1000 MB/s ceiling
        Map<Integer, Double> tlsCost = ResultTable.tlsCost(r.stream().map(ResultTable.Row::of).toList());
        assertEquals(List.of(2), List.copyOf(tlsCost.keySet()));
        assertEquals(0.6, tlsCost.get(2), 1e-9);
    }

    @Test
    void mediansTakeEachColumnOverTheRounds() {
        List<List<Result>> rounds = List.of(round(3.0, 1.8, 2.4, 2.0), round(5.0, 2.1, 2.4, 1.0),
                round(4.0, 1.5, 3.3, 4.0));
        List<ResultTable.Row> m = ResultTable.medians(rounds);
        assertEquals(6, m.size());
        ResultTable.Row signed = m.get(2);
        assertEquals(4.0, signed.nodeCpuPerGb(), 1e-9);
        assertEquals(2.0, signed.floor().ratio(), 1e-9);
        ResultTable.Row get = m.get(5);
        assertEquals(500.0, get.megabytesPerSecond(), 1e-9);
        assertEquals(0.5, get.floor().ratio(), 1e-9);

        String table = ResultTable.render(rounds);
        assertTrue(table.contains("medians over 3 rounds\n"), table);
        // tls - unsigned per round: 0.6, 0.3, 1.8; the median is 0.6.
        String medians = table.substring(table.indexOf("medians over"));
        assertTrue(medians.contains("tls cost, node CPU-s/GB (tls - unsigned):  2 thr +0.60"), medians);
        assertTrue(medians.contains("1.50 s/GB  1.20x"), medians); // unsigned: median of 1.8, 2.1, 1.5 over 1.5
    }

    @Test
    void everyLineOfATableIsAsWideAsItsHeader() {
        String table = ResultTable.render(List.of(round(3.0, 1.8, 2.4, 2.0)));
        List<String> lines = table.lines().toList();
        int width = lines.get(1).length();
        for (String line : lines.subList(1, 9)) {
            assertEquals(width, line.length(), "\n" + table);
        }
        assertTrue(lines.get(9).startsWith("tls cost"), table);
    }
}
