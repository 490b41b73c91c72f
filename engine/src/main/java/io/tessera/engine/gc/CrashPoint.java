package io.tessera.engine.gc;

/** Places inside compaction where tests stop the engine to prove each phase is crash-safe. */
public enum CrashPoint {
    /** Live records copied to new segments, not yet synced. */
    COMPACT_AFTER_COPY,
    /** Copies durable, references not yet moved. */
    COMPACT_AFTER_SYNC,
    /** References moved and the source row removed; the source file not yet deleted. */
    COMPACT_AFTER_REMAP
}
