package io.tessera.bench.load;

import java.util.Arrays;

/** Latencies of one thread's operations, in nanoseconds; merged after the threads are done. Not thread-safe. */
final class Latencies {
    private long[] nanos = new long[1024];
    private int n;

    void add(long ns) {
        if (n == nanos.length) {
            nanos = Arrays.copyOf(nanos, n * 2);
        }
        nanos[n++] = ns;
    }

    int count() {
        return n;
    }

    static Latencies merge(Iterable<Latencies> parts) {
        Latencies all = new Latencies();
        parts.forEach(all::addAll);
        return all;
    }

    /** Adds every latency of {@code other}. */
    void addAll(Latencies other) {
        for (int i = 0; i < other.n; i++) {
            add(other.nanos[i]);
        }
    }

    /** The {@code q}-quantile (nearest rank) in milliseconds, NaN when empty. */
    double quantileMs(double q) {
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * n);
        return sorted[Math.max(0, Math.min(n - 1, rank - 1))] / 1e6;
    }
}
