package io.tessera.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Takes the readings around a phase: wall clock, the node's CPU time from its process accounting, this
 * process's CPU time and the load average. Sampled right before the first request and right after
 * the last answer.
 */
final class Meter {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final long nodePid;

    Meter(long nodePid) {
        this.nodePid = nodePid;
    }

    Reading read() {
        return new Reading(System.nanoTime(), ProcessCpu.seconds(nodePid), OS.getProcessCpuTime() / 1e9);
    }

    /** Readings at one moment. */
    record Reading(long nanos, double nodeCpu, double clientCpu) {
    }

    /** The result of a phase between two readings; {@code mode} null for phases other than multipart. */
    static Result result(String phase, PayloadMode mode, int threads, long ops, long errors, long bytes, Latencies lat,
                         Reading before, Reading after, double loadAverage) {
        return new Result(phase, mode, threads, ops, errors, bytes, (after.nanos - before.nanos) / 1e9,
                lat.quantileMs(0.5), lat.quantileMs(0.99), lat.quantileMs(1), after.nodeCpu - before.nodeCpu,
                after.clientCpu - before.clientCpu, loadAverage, Result.Floor.NONE);
    }

    /** One request of a single-connection loop, read to its end. */
    @FunctionalInterface
    interface Fetch {
        void run() throws IOException;
    }

    /**
     * A single-connection loop of {@code size}-byte fetches: {@code warmups} unmeasured, then up to
     * {@code count} timed ones (or until {@code maxSeconds}), read between two readings of {@code meter}.
     */
    static Result timeFetches(String phase, Meter meter, int warmups, int count, long maxSeconds, long size,
                              Fetch fetch) throws IOException {
        for (int i = 0; i < warmups; i++) {
            fetch.run();
        }
        Latencies lat = new Latencies();
        double load = loadAverage();
        Reading before = meter.read();
        long deadline = before.nanos() + maxSeconds * 1_000_000_000L;
        long bytes = 0;
        for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
            long t0 = System.nanoTime();
            fetch.run();
            lat.add(System.nanoTime() - t0);
            bytes += size;
        }
        Reading after = meter.read();
        return result(phase, null, 1, lat.count(), 0, bytes, lat, before, after, load);
    }

    /** The 1-minute load average, NaN when unknown. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
