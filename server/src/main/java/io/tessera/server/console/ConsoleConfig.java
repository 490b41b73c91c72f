package io.tessera.server.console;

import java.time.Duration;

/**
 * The web console's settings. Immutable; the {@code with*} methods return changed copies.
 *
 * @param enabled        whether the admin listener serves the console at {@code /console}
 * @param sampleInterval how often the node samples its space and GC figures for the charts
 * @param historySize    how many samples it keeps (the oldest go first)
 * @param partSize       the part size of the browser's multipart uploads (at least the engine's minimum part size
 *                       is used); files up to this size go up in one request
 * @param sessionIdle    a session not used for this long ends
 * @param sessionMax     a session ends this long after sign-in, used or not
 */
public record ConsoleConfig(boolean enabled, Duration sampleInterval, int historySize, long partSize,
                            Duration sessionIdle, Duration sessionMax) {
    public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_HISTORY_SIZE = 720;
    public static final long DEFAULT_PART_SIZE = 8L << 20;

    public ConsoleConfig {
        if (sampleInterval.compareTo(Duration.ofMillis(50)) < 0) {
            throw new IllegalArgumentException("the console's sample interval must be at least 50 ms, not "
                    + sampleInterval.toMillis() + " ms");
        }
        if (historySize < 2) {
            throw new IllegalArgumentException("the console keeps at least 2 samples");
        }
        if (partSize < 1) {
            throw new IllegalArgumentException("the console's part size must be positive");
        }
    }

    /** On, sampling every 10 s, two hours of samples, 8 MiB parts, sessions of 30 minutes idle and 12 hours at most. */
    public static ConsoleConfig defaults() {
        return new ConsoleConfig(true, DEFAULT_SAMPLE_INTERVAL, DEFAULT_HISTORY_SIZE, DEFAULT_PART_SIZE,
                Duration.ofMinutes(30), Duration.ofHours(12));
    }

    public ConsoleConfig withEnabled(boolean e) {
        return new ConsoleConfig(e, sampleInterval, historySize, partSize, sessionIdle, sessionMax);
    }

    public ConsoleConfig withSampleInterval(Duration d) {
        return new ConsoleConfig(enabled, d, historySize, partSize, sessionIdle, sessionMax);
    }

    public ConsoleConfig withHistorySize(int n) {
        return new ConsoleConfig(enabled, sampleInterval, n, partSize, sessionIdle, sessionMax);
    }

    public ConsoleConfig withPartSize(long bytes) {
        return new ConsoleConfig(enabled, sampleInterval, historySize, bytes, sessionIdle, sessionMax);
    }
}
