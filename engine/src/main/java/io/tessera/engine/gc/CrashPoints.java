package io.tessera.engine.gc;

/**
 * A hook the collector calls at each {@link CrashPoint}. Production uses {@link #NONE}; tests throw
 * from it to abandon a compaction at that exact point.
 */
@FunctionalInterface
public interface CrashPoints {
    CrashPoints NONE = point -> { };

    void reached(CrashPoint point);
}
