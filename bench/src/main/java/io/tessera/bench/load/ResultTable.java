package io.tessera.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Renders results as a plain-text table: every round, then (with more than one round) the median of
 * each column over the rounds of the same phase. Under each table a line with the cost of TLS (node
 * CPU-s/GB of the {@code tls} rows minus the {@code unsigned} rows at the same thread count), and a
 * legend. The many-parts rows ({@link ManyParts}) get a table of their own, with the slowest request
 * beside the median, since each of their requests is one sample of a few. Stateless.
 */
final class ResultTable {
    private static final String FORMAT = "%-24s %3s %6s %4s %8s %9s %8s %8s %8s %8s %11s %6s %7s %5s%n";
    private static final String HEADER = String.format(Locale.ROOT, FORMAT, "phase", "thr", "ops", "err", "MB/s",
            "ops/s", "p50 ms", "p99 ms", "nodeCPU", "nodeCPU", "floor", "ratio", "client", "load")
            + String.format(Locale.ROOT, FORMAT, "", "", "", "", "", "", "", "", "s/GB", "ms/op", "same round",
            "", "s/GB", "1m");
    private static final String MANY_FORMAT = "%-40s %3s %6s %4s %9s %9s %9s %9s %9s %5s%n";
    private static final String MANY_HEADER = String.format(Locale.ROOT, MANY_FORMAT, "phase", "thr", "ops", "err",
            "ops/s", "p50 ms", "max ms", "nodeCPU", "client", "load")
            + String.format(Locale.ROOT, MANY_FORMAT, "", "", "", "", "", "", "", "ms/op", "ms/op", "1m");
    static final String MANY_LEGEND = """
            many parts: ListParts, Complete and Abort are timed one request at a time (ops = requests timed); nodeCPU
              and client ms/op are the node's and this driver's CPU over those requests alone. UploadPart: the parts of
              both uploads over the client threads. In the medians table, max ms is the slowest over every round.
            """;
    static final String LEGEND = """
            floor: for ingest, the hashes the node cannot avoid, timed on one client thread over the same bytes
              (MD5+SHA-256 for signed, MD5+CRC32 for unsigned and tls); for the large GET, the raw loopback sendfile.
            ratio: ingest node CPU-s/GB / floor (1.00x = the floor); large GET MB/s / sendfile MB/s (1.00x = the wire).
            Floor rows: MB/s and latencies per CPU-second of that one thread. MB = 10^6 B, GB = 10^9 B.
            """;

    private ResultTable() {
    }

    /**
     * The cells of one line: a result's, or the medians of a phase's results over the rounds (each
     * derived column its own median, e.g. the median MB/s, not MB over median seconds).
     */
    record Row(String phase, PayloadMode mode, int threads, long ops, long errors, double megabytesPerSecond,
               double opsPerSecond, double p50Ms, double p99Ms, double maxMs, double nodeCpuPerGb,
               double nodeCpuMsPerOp, Result.Floor floor, double clientCpuPerGb, double clientCpuMsPerOp,
               double loadAverage) {
        static Row of(Result r) {
            return new Row(r.phase(), r.mode(), r.threads(), r.ops(), r.errors(), r.megabytesPerSecond(),
                    r.opsPerSecond(), r.p50Ms(), r.p99Ms(), r.maxMs(), r.nodeCpuPerGb(), r.nodeCpuMsPerOp(), r.floor(),
                    r.clientCpuPerGb(), r.clientCpuMsPerOp(), r.loadAverage());
        }
    }

    /** @param rounds each round's results, in the order they ran */
    static String render(List<List<Result>> rounds) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rounds.size(); i++) {
            List<Row> rows = rounds.get(i).stream().map(Row::of).toList();
            sb.append("round ").append(i + 1).append('\n');
            appendTables(sb, rows, tlsCost(rows));
        }
        if (rounds.size() > 1) {
            Map<Integer, List<Double>> costs = new TreeMap<>();
            for (List<Result> round : rounds) {
                tlsCost(round.stream().map(Row::of).toList())
                        .forEach((t, c) -> costs.computeIfAbsent(t, k -> new ArrayList<>()).add(c));
            }
            Map<Integer, Double> medianCost = new TreeMap<>();
            costs.forEach((t, c) -> medianCost.put(t, median(c.stream().mapToDouble(Double::doubleValue).toArray())));
            sb.append("medians over ").append(rounds.size()).append(" rounds\n");
            appendTables(sb, medians(rounds), medianCost);
        }
        boolean many = rounds.stream().flatMap(List::stream).anyMatch(ResultTable::isManyParts);
        boolean others = rounds.stream().flatMap(List::stream).anyMatch(r -> !isManyParts(r));
        sb.append(others ? LEGEND : "").append(many ? MANY_LEGEND : "");
        return sb.toString();
    }

    private static boolean isManyParts(Result r) {
        return r.phase().startsWith(ManyParts.PREFIX);
    }

    /** The main table of these rows (if any is not a many-parts row), then the many-parts table (if any is). */
    private static void appendTables(StringBuilder sb, List<Row> rows, Map<Integer, Double> tlsCost) {
        List<Row> main = rows.stream().filter(r -> !r.phase().startsWith(ManyParts.PREFIX)).toList();
        List<Row> many = rows.stream().filter(r -> r.phase().startsWith(ManyParts.PREFIX)).toList();
        if (!main.isEmpty()) {
            appendTable(sb, main, tlsCost);
        }
        if (!many.isEmpty()) {
            sb.append(MANY_HEADER);
            many.forEach(r -> sb.append(String.format(Locale.ROOT, MANY_FORMAT, r.phase(), r.threads(), r.ops(),
                    r.errors(), num(r.opsPerSecond(), 1), num(r.p50Ms(), 2), num(r.maxMs(), 2),
                    num(r.nodeCpuMsPerOp(), 2), num(r.clientCpuMsPerOp(), 2), num(r.loadAverage(), 2))));
            sb.append('\n');
        }
    }

    private static void appendTable(StringBuilder sb, List<Row> rows, Map<Integer, Double> tlsCost) {
        sb.append(HEADER);
        rows.forEach(r -> sb.append(line(r)));
        if (!tlsCost.isEmpty()) {
            sb.append("tls cost, node CPU-s/GB (tls - unsigned):");
            tlsCost.forEach((t, c) -> sb.append(String.format(Locale.ROOT, "  %d thr %s", t, signed(c))));
            sb.append('\n');
        }
        sb.append('\n');
    }

    /** One row per phase (phase and thread count) with the median of each column over the rounds. */
    static List<Row> medians(List<List<Result>> rounds) {
        Map<String, List<Row>> byPhase = new LinkedHashMap<>();
        for (List<Result> round : rounds) {
            for (Result r : round) {
                byPhase.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(Row.of(r));
            }
        }
        List<Row> out = new ArrayList<>();
        for (List<Row> g : byPhase.values()) {
            Row first = g.get(0);
            Result.Floor floor = new Result.Floor(median(g, r -> r.floor().value()), first.floor().unit(),
                    median(g, r -> r.floor().ratio()));
            out.add(new Row(first.phase(), first.mode(), first.threads(), Math.round(median(g, Row::ops)),
                    Math.round(median(g, Row::errors)), median(g, Row::megabytesPerSecond),
                    median(g, Row::opsPerSecond), median(g, Row::p50Ms), median(g, Row::p99Ms),
                    slowest(g), median(g, Row::nodeCpuPerGb), median(g, Row::nodeCpuMsPerOp), floor,
                    median(g, Row::clientCpuPerGb), median(g, Row::clientCpuMsPerOp), median(g, Row::loadAverage)));
        }
        return out;
    }

    /** The slowest request over the rounds (the one column of the medians table that is no median). */
    private static double slowest(List<Row> g) {
        return g.stream().mapToDouble(Row::maxMs).filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN);
    }

    /** Per thread count: node CPU-s/GB of the tls row minus the unsigned row's, when both ran. */
    static Map<Integer, Double> tlsCost(List<Row> round) {
        Map<Integer, Double> unsigned = new TreeMap<>();
        Map<Integer, Double> tls = new TreeMap<>();
        for (Row r : round) {
            if (r.mode() == PayloadMode.UNSIGNED) {
                unsigned.put(r.threads(), r.nodeCpuPerGb());
            } else if (r.mode() == PayloadMode.TLS) {
                tls.put(r.threads(), r.nodeCpuPerGb());
            }
        }
        Map<Integer, Double> cost = new TreeMap<>();
        tls.forEach((t, c) -> {
            if (unsigned.containsKey(t)) {
                cost.put(t, c - unsigned.get(t));
            }
        });
        return cost;
    }

    private static String line(Row r) {
        return String.format(Locale.ROOT, FORMAT, r.phase(), r.threads(), r.ops(), r.errors(),
                num(r.megabytesPerSecond(), 1), num(r.opsPerSecond(), 1), num(r.p50Ms(), 2), num(r.p99Ms(), 2),
                num(r.nodeCpuPerGb(), 2), num(r.nodeCpuMsPerOp(), 3), floor(r.floor()), ratio(r.floor().ratio()),
                num(r.clientCpuPerGb(), 2), num(r.loadAverage(), 2));
    }

    private static String floor(Result.Floor f) {
        if (Double.isNaN(f.value())) {
            return "-";
        }
        return num(f.value(), f.unit() == Result.Unit.MB_PER_S ? 0 : 2) + " " + f.unit().symbol();
    }

    private static String ratio(double r) {
        return Double.isNaN(r) || Double.isInfinite(r) ? "-" : String.format(Locale.ROOT, "%.2fx", r);
    }

    private static String signed(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%+.2f", v);
    }

    /** A number, or "-" when unknown (no node CPU for a node whose PID is not visible, none for a floor). */
    private static String num(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static double median(List<Row> g, ToDoubleFunction<Row> f) {
        return median(g.stream().mapToDouble(f).toArray());
    }

    private static double median(double[] v) {
        double[] s = Arrays.stream(v).filter(d -> !Double.isNaN(d)).sorted().toArray();
        int n = s.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
