package io.tessera.engine.blob;

import io.tessera.engine.meta.IdSequence;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.meta.SegmentRecord;
import io.tessera.engine.meta.SegmentRecord.SegmentState;
import io.tessera.engine.meta.SegmentTable;
import io.tessera.engine.segment.SegmentAllocator;
import java.util.Map;
import java.util.function.LongSupplier;

/** Segment rows in the metadata store: allocation of ids, ACTIVE and SEALED states. */
public final class SegmentCatalog implements SegmentAllocator {
    private final MetaStore meta;
    private final SegmentTable segments;
    private final IdSequence ids;
    private final LongSupplier clockMillis;

    public SegmentCatalog(MetaStore meta, LongSupplier clockMillis) {
        this.meta = meta;
        this.segments = meta.tables().segments();
        this.ids = new IdSequence(meta, "segment", 64);
        this.clockMillis = clockMillis;
    }

    @Override
    public long allocate() {
        long id = ids.next();
        try (MetaBatch b = meta.newBatch()) {
            segments.put(b, id, new SegmentRecord(SegmentState.ACTIVE, clockMillis.getAsLong(), 0));
            meta.commit(b);
        }
        return id;
    }

    @Override
    public void sealed(long segmentId, long size) {
        SegmentRecord row = segments.get(segmentId);
        long created = row == null ? clockMillis.getAsLong() : row.createdMillis();
        try (MetaBatch b = meta.newBatch()) {
            segments.put(b, segmentId, new SegmentRecord(SegmentState.SEALED, created, size));
            meta.commit(b);
        }
    }

    @Override
    public void abandon(long segmentId) {
        removeEmpty(segmentId);
    }

    /** Removes a segment that holds no live byte (recovery only; GC goes through the blob index). */
    public void removeEmpty(long segmentId) {
        try (MetaBatch b = meta.newBatch()) {
            segments.delete(b, segmentId);
            meta.tables().blobs().forgetSegment(b, segmentId);
            meta.commit(b);
        }
    }

    /** Every segment row, by id. */
    public Map<Long, SegmentRecord> all() {
        return segments.all();
    }
}
