package io.tessera.engine.meta;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code segments} rows: one per segment file, ACTIVE while it takes appends, then SEALED. */
public final class SegmentTable {
    private final MetaView view;

    SegmentTable(MetaView view) {
        this.view = view;
    }

    public SegmentRecord get(long segmentId) {
        byte[] v = view.get(ColumnFamily.SEGMENTS, Keys.u64(segmentId));
        return v == null ? null : SegmentRecord.decode(v);
    }

    public void put(MetaBatch batch, long segmentId, SegmentRecord row) {
        batch.put(ColumnFamily.SEGMENTS, Keys.u64(segmentId), row.encode());
    }

    public void delete(MetaBatch batch, long segmentId) {
        batch.delete(ColumnFamily.SEGMENTS, Keys.u64(segmentId));
    }

    /** Every segment row, by id. */
    public Map<Long, SegmentRecord> all() {
        Map<Long, SegmentRecord> out = new LinkedHashMap<>();
        try (MetaCursor c = view.scan(ColumnFamily.SEGMENTS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                out.put(Keys.getLong(c.key(), 0), SegmentRecord.decode(c.value()));
            }
        }
        return out;
    }
}
