package io.tessera.bench.load;

import io.tessera.bench.load.NodeVitals.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Whether a node's readings stayed flat during a soak: after the warm-up, the median of the last third
 * of the samples may exceed the median of the first third by at most a slack (the larger of an absolute
 * and a relative allowance). A leak that grows with the number of requests shows as a steady rise; caches
 * and pools that fill up to their bound rise during the warm-up and then stay. Stateless.
 */
final class Flatness {
    private static final long MIB = 1L << 20;

    /** A judged reading: how much it may grow, in its unit. */
    enum Metric {
        RSS("resident memory", Sample::rss, 64 * MIB, 0.10, true),
        HEAP_LIVE("heap after a full GC", Sample::heapLive, 32 * MIB, 0.25, true),
        OFF_HEAP("off-heap (direct) memory", s -> s.offHeap() >= 0 ? s.offHeap() : s.nioDirect(), 32 * MIB, 0.25, true),
        FDS("open file descriptors", s -> s.fds(), 16, 0.20, false),
        THREADS("threads", s -> s.threads(), 8, 0.10, false);

        final String label;
        final ToLongFunction<Sample> value;
        final long slack;
        final double relativeSlack;
        final boolean bytes;

        Metric(String label, ToLongFunction<Sample> value, long slack, double relativeSlack, boolean bytes) {
            this.label = label;
            this.value = value;
            this.slack = slack;
            this.relativeSlack = relativeSlack;
            this.bytes = bytes;
        }

        String format(long v) {
            return bytes ? String.format(Locale.ROOT, "%.1f MiB", v / (double) MIB) : Long.toString(v);
        }
    }

    /** The judgement of one metric: medians early and late, the growth and what was allowed. */
    record Judgement(Metric metric, long early, long late, long allowed) {
        long growth() {
            return late - early;
        }

        boolean flat() {
            return growth() <= allowed;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-22s %12s -> %12s  %s%s (allowed +%s)", metric.label,
                    metric.format(early), metric.format(late), growth() >= 0 ? "+" : "-",
                    metric.format(Math.abs(growth())), metric.format(allowed)) + (flat() ? "  flat" : "  GROWING");
        }
    }

    private Flatness() {
    }

    /**
     * Judges every metric on the samples taken after {@code warmupNanos} from the first sample.
     *
     * @throws IllegalArgumentException when fewer than two samples follow the warm-up
     */
    static List<Judgement> judge(List<Sample> samples, long warmupNanos) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        long start = samples.get(0).nanos();
        List<Sample> steady = samples.stream().filter(s -> s.nanos() - start >= warmupNanos).toList();
        if (steady.size() < 2) {
            throw new IllegalArgumentException("only " + steady.size() + " sample(s) after the warm-up");
        }
        int third = Math.max(1, steady.size() / 3);
        List<Judgement> out = new ArrayList<>();
        for (Metric m : Metric.values()) {
            long early = median(steady.subList(0, third), m.value);
            long late = median(steady.subList(steady.size() - third, steady.size()), m.value);
            long allowed = Math.max(m.slack, (long) (m.relativeSlack * Math.max(0, early)));
            out.add(new Judgement(m, early, late, allowed));
        }
        return out;
    }

    private static long median(List<Sample> samples, ToLongFunction<Sample> f) {
        long[] v = samples.stream().mapToLong(f).toArray();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
