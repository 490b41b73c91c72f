package io.tessera.engine.gc;

import java.time.Duration;

/**
 * When and how fast the background collector works.
 *
 * @param interval          pause between background cycles; zero disables the background collector
 * @param compactDeadRatio  a sealed segment is compacted once this fraction of its records is dead
 * @param bytesPerSecond    the most bytes compaction copies per second (0 = unlimited)
 */
public record GcPolicy(Duration interval, double compactDeadRatio, long bytesPerSecond) {
    public static final GcPolicy DEFAULT = new GcPolicy(Duration.ofSeconds(30), 0.4, 64L << 20);
    public static final GcPolicy MANUAL = new GcPolicy(Duration.ZERO, 0.4, 0);
}
