package io.tessera.bench.load;

/**
 * What one measured phase did and cost, and the floor it is held against. Immutable.
 *
 * @param phase       what ran (e.g. {@code multipart 8MiB signed})
 * @param mode        how multipart bodies were sent; null for the other phases
 * @param threads     client threads
 * @param ops         requests that succeeded
 * @param errors      requests that failed (an exception or a short body); they count in no other column
 * @param bytes       payload bytes moved (request bodies for uploads, response bodies for GETs)
 * @param seconds     wall-clock time of the measured loop (a floor row: its thread's CPU time)
 * @param p50Ms       median request latency
 * @param p99Ms       99th percentile request latency
 * @param maxMs       the slowest request
 * @param nodeCpu     CPU-seconds the node process used during the phase (NaN when unknown or not involved)
 * @param clientCpu   CPU-seconds this (client) process used during the phase (NaN for a floor row)
 * @param loadAverage the machine's 1-minute load average when the phase started
 * @param floor       the floor measured in the same round and the ratio to it ({@link Floor#NONE} if none)
 */
record Result(String phase, PayloadMode mode, int threads, long ops, long errors, long bytes, double seconds,
              double p50Ms, double p99Ms, double maxMs, double nodeCpu, double clientCpu, double loadAverage, Floor floor) {

    /** The unit of a floor: node CPU against hashing CPU, or throughput against the wire's. */
    enum Unit {
        /** CPU-seconds per GB; the ratio is node / floor, so lower is better and 1.0 is the floor itself. */
        CPU_PER_GB("s/GB"),
        /** MB/s; the ratio is phase / ceiling, so higher is better and 1.0 is the ceiling itself. */
        MB_PER_S("MB/s");

        private final String symbol;

        Unit(String symbol) {
            this.symbol = symbol;
        }

        String symbol() {
            return symbol;
        }
    }

    /**
     * A floor (or ceiling) and this phase's ratio to it.
     *
     * @param value NaN when there is none
     * @param ratio NaN for a floor row itself and when there is no floor
     */
    record Floor(double value, Unit unit, double ratio) {
        static final Floor NONE = new Floor(Double.NaN, Unit.CPU_PER_GB, Double.NaN);
    }

    /** A hash floor's own row: {@code cpuSeconds} of one thread for {@code bytes}. */
    static Result floor(String phase, long passes, long bytes, double cpuSeconds, Latencies perPass, double load) {
        double perGb = cpuSeconds / (bytes / 1e9);
        return new Result(phase, null, 1, passes, 0, bytes, cpuSeconds, perPass.quantileMs(0.5),
                perPass.quantileMs(0.99), perPass.quantileMs(1), Double.NaN, Double.NaN, load, new Floor(perGb, Unit.CPU_PER_GB, Double.NaN));
    }

    double megabytesPerSecond() {
        return bytes / 1e6 / seconds;
    }

    double opsPerSecond() {
        return ops / seconds;
    }

    /** Node CPU-seconds per GB (10^9 bytes) of payload. */
    double nodeCpuPerGb() {
        return bytes == 0 ? Double.NaN : nodeCpu / (bytes / 1e9);
    }

    /** Node CPU-milliseconds per request. */
    double nodeCpuMsPerOp() {
        return ops == 0 ? Double.NaN : nodeCpu * 1e3 / ops;
    }

    double clientCpuPerGb() {
        return bytes == 0 ? Double.NaN : clientCpu / (bytes / 1e9);
    }

    /** This process's CPU-milliseconds per request. */
    double clientCpuMsPerOp() {
        return ops == 0 ? Double.NaN : clientCpu * 1e3 / ops;
    }

    /** This result held against a node-CPU floor: node CPU-s/GB over {@code cpuPerGb}. */
    Result againstCpuFloor(double cpuPerGb) {
        return with(new Floor(cpuPerGb, Unit.CPU_PER_GB, nodeCpuPerGb() / cpuPerGb));
    }

    /** This result held against a throughput ceiling: MB/s over {@code megabytesPerSecond}. */
    Result againstCeiling(double ceilingMegabytesPerSecond) {
        return with(new Floor(ceilingMegabytesPerSecond, Unit.MB_PER_S,
                megabytesPerSecond() / ceilingMegabytesPerSecond));
    }

    private Result with(Floor f) {
        return new Result(phase, mode, threads, ops, errors, bytes, seconds, p50Ms, p99Ms, maxMs, nodeCpu,
                clientCpu, loadAverage, f);
    }

    /** Key under which rounds of the same phase are grouped. */
    String key() {
        return phase + "/" + threads;
    }
}
