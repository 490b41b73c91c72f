package io.tessera.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Renders results as a plain-text table: every round, then (with more than one round) the median of
 * each column over the rounds of the same phase.
 */
final class ResultTable {
    private static final String HEADER = String.format(Locale.ROOT, "%-26s %3s %6s %8s %9s %8s %8s %9s %9s %9s %5s",
            "phase", "thr", "ops", "MB/s", "ops/s", "p50 ms", "p99 ms", "nodeCPU", "nodeCPU", "clientCPU", "load");
    private static final String UNITS = String.format(Locale.ROOT, "%-26s %3s %6s %8s %9s %8s %8s %9s %9s %9s %5s",
            "", "", "", "", "", "", "", "s/GB", "ms/op", "s/GB", "1m");

    private ResultTable() {
    }

    static String render(List<Result> results, int rounds) {
        StringBuilder sb = new StringBuilder();
        sb.append(HEADER).append('\n').append(UNITS).append('\n');
        for (Result r : results) {
            sb.append(row(r.phase(), r.threads(), r.ops(), r.megabytesPerSecond(), r.opsPerSecond(), r.p50Ms(),
                    r.p99Ms(), r.nodeCpuPerGb(), r.nodeCpuMsPerOp(), r.clientCpuPerGb(), r.loadAverage()));
        }
        if (rounds > 1) {
            sb.append("\nmedians over ").append(rounds).append(" rounds\n").append(HEADER).append('\n')
                    .append(UNITS).append('\n');
            Map<String, List<Result>> byPhase = new LinkedHashMap<>();
            for (Result r : results) {
                byPhase.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
            }
            for (List<Result> g : byPhase.values()) {
                Result first = g.get(0);
                sb.append(row(first.phase(), first.threads(), (long) median(g, Result::ops),
                        median(g, Result::megabytesPerSecond), median(g, Result::opsPerSecond),
                        median(g, Result::p50Ms), median(g, Result::p99Ms), median(g, Result::nodeCpuPerGb),
                        median(g, Result::nodeCpuMsPerOp), median(g, Result::clientCpuPerGb),
                        median(g, Result::loadAverage)));
            }
        }
        return sb.toString();
    }

    private static String row(String phase, int threads, long ops, double mbs, double opss, double p50, double p99,
                              double cpuGb, double cpuOp, double clientGb, double load) {
        return String.format(Locale.ROOT, "%-26s %3d %6d %8.1f %9.1f %8.2f %8.2f %9s %9s %9.2f %5.2f%n",
                phase, threads, ops, mbs, opss, p50, p99, num(cpuGb, 2), num(cpuOp, 3), clientGb, load);
    }

    /** A number, or "-" when unknown (no node CPU for an --endpoint node whose PID is not visible). */
    private static String num(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static double median(List<Result> g, ToDoubleFunction<Result> f) {
        double[] v = g.stream().mapToDouble(f).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
