package io.tessera.engine.segment;

/**
 * Registers segments in the metadata store. The segment layer knows files, not RocksDB: the engine
 * supplies this. Order on creation is always "row first, then file", so a file without a row is an
 * orphan that recovery may delete.
 */
public interface SegmentAllocator {
    /** Allocates a never-used segment id and durably records the segment as ACTIVE. */
    long allocate();

    /** Durably records that the segment takes no more appends and ends at {@code size}. */
    void sealed(long segmentId, long size);

    /** Removes the row of a segment whose file could not be created (it never held a record). */
    void abandon(long segmentId);
}
