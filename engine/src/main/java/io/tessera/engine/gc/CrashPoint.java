package io.tessera.engine.gc;

/**
 * Places inside a collection cycle where tests stop the engine (to prove each phase is crash-safe)
 * or interleave other work (to prove each decision is re-checked where it is acted on).
 */
public enum CrashPoint {
    /** The cycle has read every segment's space and is about to act on it. */
    CYCLE_AFTER_SCAN,
    /** Live records copied to new segments, not yet synced. */
    COMPACT_AFTER_COPY,
    /** Copies durable, references not yet moved. */
    COMPACT_AFTER_SYNC,
    /** References moved and the source row removed; the source file not yet deleted. */
    COMPACT_AFTER_REMAP
}
