package io.tessera.engine.blob;

import io.tessera.engine.meta.ColumnFamily;
import io.tessera.engine.meta.Keys;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaCursor;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.meta.SegmentRecord;
import io.tessera.engine.meta.SegmentRecord.SegmentState;
import io.tessera.engine.segment.SegmentAllocator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/** Segment rows in the metadata store: allocation of ids, ACTIVE and SEALED states. */
public final class SegmentCatalog implements SegmentAllocator {
    private final MetaStore meta;
    private final IdSequence ids;
    private final LongSupplier clockMillis;

    public SegmentCatalog(MetaStore meta, LongSupplier clockMillis) {
        this.meta = meta;
        this.ids = new IdSequence(meta, "segment", 64);
        this.clockMillis = clockMillis;
    }

    @Override
    public long allocate() {
        long id = ids.next();
        try (MetaBatch b = meta.newBatch()) {
            b.put(ColumnFamily.SEGMENTS, Keys.u64(id),
                    new SegmentRecord(SegmentState.ACTIVE, clockMillis.getAsLong(), 0).encode());
            meta.commit(b);
        }
        return id;
    }

    @Override
    public void sealed(long segmentId, long size) {
        byte[] key = Keys.u64(segmentId);
        byte[] v = meta.get(ColumnFamily.SEGMENTS, key);
        long created = v == null ? clockMillis.getAsLong() : SegmentRecord.decode(v).createdMillis();
        try (MetaBatch b = meta.newBatch()) {
            b.put(ColumnFamily.SEGMENTS, key, new SegmentRecord(SegmentState.SEALED, created, size).encode());
            meta.commit(b);
        }
    }

    /** Removes a segment's row and its live counter (the segment holds no live blob). */
    public void remove(MetaBatch b, long segmentId) {
        b.delete(ColumnFamily.SEGMENTS, Keys.u64(segmentId));
        b.delete(ColumnFamily.SEGMENT_LIVE, Keys.u64(segmentId));
    }

    public void remove(long segmentId) {
        try (MetaBatch b = meta.newBatch()) {
            remove(b, segmentId);
            meta.commit(b);
        }
    }

    /** Every segment row, by id. */
    public Map<Long, SegmentRecord> all() {
        Map<Long, SegmentRecord> out = new LinkedHashMap<>();
        try (MetaCursor c = meta.scan(ColumnFamily.SEGMENTS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                out.put(Keys.getLong(c.key(), 0), SegmentRecord.decode(c.value()));
            }
        }
        return out;
    }
}
