package io.tessera.engine;

import java.time.Duration;

/**
 * When and how fast the background collector works.
 *
 * @param interval          pause between background cycles; zero disables the background collector
 * @param compactDeadRatio  a sealed segment is compacted once this fraction of its records is dead
 * @param bytesPerSecond    the most bytes compaction copies per second (0 = unlimited)
 * @param sealIdleAfter     a background cycle seals an active segment that took no append for this long,
 *                          so that its garbage becomes collectable
 * @param fullEvery         a background cycle is a full one (compacting every sealed segment with any
 *                          dead byte) at least this often: the bound on how long garbage stays on disk
 */
public record GcPolicy(Duration interval, double compactDeadRatio, long bytesPerSecond, Duration sealIdleAfter,
                       Duration fullEvery) {
    public static final GcPolicy DEFAULT = new GcPolicy(Duration.ofSeconds(30), 0.4, 64L << 20,
            Duration.ofMinutes(1), Duration.ofHours(1));
    public static final GcPolicy MANUAL = new GcPolicy(Duration.ZERO, 0.4, 0, Duration.ofMinutes(1),
            Duration.ofHours(1));

    /** A background collector running every {@code interval} with the defaults otherwise. */
    public static GcPolicy every(Duration interval, double compactDeadRatio) {
        return new GcPolicy(interval, compactDeadRatio, 0, DEFAULT.sealIdleAfter(), DEFAULT.fullEvery());
    }
}
