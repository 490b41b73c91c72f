package io.tessera.engine.meta;

import io.tessera.engine.segment.BlobLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The {@code blobs} index (blob id → location) and the {@code segment_live} counters, which must
 * change together: a segment's live bytes are the record lengths of the blob rows located in it.
 * Every write method keeps that rule, so no caller can add or drop a row without the count.
 * The engine's blob index is this table's only writer (enforced by the build's import control).
 *
 * <p>Thread-safe (reads); writes go into the caller's batch.
 */
public final class BlobTable {
    private final MetaView view;

    BlobTable(MetaView view) {
        this.view = view;
    }

    /** Where a blob lies, or null when it has no row. */
    public BlobLocation get(long blobId) {
        byte[] v = view.get(ColumnFamily.BLOBS, Keys.u64(blobId));
        return v == null ? null : BlobCodec.decode(v);
    }

    /** The locations of many blobs (null for each blob without a row), in one multi-get on the live store. */
    public List<BlobLocation> getAll(List<Long> blobIds) {
        List<byte[]> keys = new ArrayList<>(blobIds.size());
        for (long id : blobIds) {
            keys.add(Keys.u64(id));
        }
        List<byte[]> rows = view.multiGet(ColumnFamily.BLOBS, keys);
        List<BlobLocation> out = new ArrayList<>(rows.size());
        for (byte[] row : rows) {
            out.add(row == null ? null : BlobCodec.decode(row));
        }
        return out;
    }

    /** Adds a blob row and counts its record as live. */
    public void add(MetaBatch batch, long blobId, BlobLocation loc) {
        batch.put(ColumnFamily.BLOBS, Keys.u64(blobId), BlobCodec.encode(loc));
        addLive(batch, loc.segmentId(), loc.recordLength());
    }

    /** Drops a blob row without touching the counters; the caller subtracts with {@link #addLive}. */
    public void deleteRow(MetaBatch batch, long blobId) {
        batch.delete(ColumnFamily.BLOBS, Keys.u64(blobId));
    }

    /** Re-points a blob from one record to its copy, moving the live bytes with it. */
    public void move(MetaBatch batch, long blobId, BlobLocation from, BlobLocation to) {
        batch.put(ColumnFamily.BLOBS, Keys.u64(blobId), BlobCodec.encode(to));
        addLive(batch, to.segmentId(), to.recordLength());
        addLive(batch, from.segmentId(), -from.recordLength());
    }

    /** Adds {@code delta} (may be negative) to a segment's live-byte count. */
    public void addLive(MetaBatch batch, long segmentId, long delta) {
        if (delta != 0) {
            batch.merge(ColumnFamily.SEGMENT_LIVE, Keys.u64(segmentId), MetaStore.encodeCounter(delta));
        }
    }

    /** Removes a segment's counter (it holds no live blob any more). */
    public void forgetSegment(MetaBatch batch, long segmentId) {
        batch.delete(ColumnFamily.SEGMENT_LIVE, Keys.u64(segmentId));
    }

    /** Live bytes of a segment (0 when never counted). */
    public long liveBytes(long segmentId) {
        byte[] v = view.get(ColumnFamily.SEGMENT_LIVE, Keys.u64(segmentId));
        return v == null ? 0 : MetaStore.decodeCounter(v);
    }

    /** Every blob row, in blob id order. */
    public void forEach(BiConsumer<Long, BlobLocation> action) {
        try (MetaCursor c = view.scan(ColumnFamily.BLOBS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                action.accept(Keys.getLong(c.key(), 0), BlobCodec.decode(c.value()));
            }
        }
    }
}
