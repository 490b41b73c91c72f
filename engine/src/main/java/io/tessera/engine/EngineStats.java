package io.tessera.engine;

/**
 * The engine's state for monitoring.
 *
 * @param liveBytes        bytes of records something points at
 * @param deadBytes        bytes of records nothing points at any more
 * @param reclaimableBytes the dead bytes in sealed segments: what a collection cycle can free now
 * @param tombstones       RocksDB's estimate of the completed and aborted uploads still remembered
 * @param busyWriteLanes   write lanes held right now by records being appended (pieces of bodies, compaction copies)
 * @param fsyncs           data fsyncs since the process started
 * @param fsyncNanos       their total time
 * @param gc               collection totals since the engine opened
 * @param metadataSyncs    WAL fsyncs of the metadata store since the engine opened (concurrent commits share one)
 */
public record EngineStats(long liveBytes, long deadBytes, long reclaimableBytes, long tombstones, int busyWriteLanes,
                          long fsyncs, long fsyncNanos, GcStats gc, long metadataSyncs) {
}
