package io.tessera.bench.load;

/**
 * What one measured phase did and cost.
 *
 * @param phase       what ran (e.g. {@code multipart 8MiB})
 * @param threads     client threads
 * @param ops         requests measured
 * @param bytes       payload bytes moved (request bodies for uploads, response bodies for GETs)
 * @param seconds     wall-clock time of the measured loop
 * @param p50Ms       median request latency
 * @param p99Ms       99th percentile request latency
 * @param nodeCpu     CPU-seconds the node process used during the phase (NaN when unknown)
 * @param clientCpu   CPU-seconds this (client) process used during the phase
 * @param loadAverage the machine's 1-minute load average when the phase started
 */
record Result(String phase, int threads, long ops, long bytes, double seconds, double p50Ms, double p99Ms,
              double nodeCpu, double clientCpu, double loadAverage) {

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

    /** Key under which rounds of the same phase are grouped. */
    String key() {
        return phase + "/" + threads;
    }
}
