package io.tessera.engine.meta;

import io.tessera.engine.segment.BlobPieces;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The {@code blobs} index (blob id → the places of its pieces) and the {@code segment_live} counters,
 * which must change together: a segment's live bytes are the record lengths of the pieces of blob rows
 * located in it.
 * Every write method keeps that rule, so no caller can add or drop a row without the count. It also
 * holds the {@code pending_blobs} entries: blob rows that no command has adopted yet (a pending entry
 * always has its blob row).
 * The engine's blob index is this table's only writer (enforced by the build's import control).
 *
 * <p>Thread-safe (reads); writes go into the caller's batch.
 */
public final class BlobTable {
    private final MetaView view;

    BlobTable(MetaView view) {
        this.view = view;
    }

    /** Where a blob's pieces lie, or null when it has no row. */
    public BlobPieces get(long blobId) {
        byte[] v = view.get(ColumnFamily.BLOBS, Keys.u64(blobId));
        return v == null ? null : BlobCodec.decode(v);
    }

    /** The pieces of many blobs (null for each blob without a row), in one multi-get on the live store. */
    public List<BlobPieces> getAll(List<Long> blobIds) {
        List<byte[]> keys = new ArrayList<>(blobIds.size());
        for (long id : blobIds) {
            keys.add(Keys.u64(id));
        }
        List<byte[]> rows = view.multiGet(ColumnFamily.BLOBS, keys);
        List<BlobPieces> out = new ArrayList<>(rows.size());
        for (byte[] row : rows) {
            out.add(row == null ? null : BlobCodec.decode(row));
        }
        return out;
    }

    /** Adds a blob row and counts its pieces' records as live. */
    public void add(MetaBatch batch, long blobId, BlobPieces blob) {
        batch.put(ColumnFamily.BLOBS, Keys.u64(blobId), BlobCodec.encode(blob));
        blob.recordBytesBySegment().forEach((segment, bytes) -> addLive(batch, segment, bytes));
    }

    /** Adds a blob row counted live, as {@link #add}, marked pending since {@code receivedMillis}. */
    public void addPending(MetaBatch batch, long blobId, BlobPieces blob, long receivedMillis) {
        add(batch, blobId, blob);
        batch.put(ColumnFamily.PENDING_BLOBS, Keys.u64(blobId), Keys.u64(receivedMillis));
    }

    /** When a pending blob was received (epoch millis), or -1 when the blob is not pending. */
    public long pendingSince(long blobId) {
        byte[] v = view.get(ColumnFamily.PENDING_BLOBS, Keys.u64(blobId));
        return v == null ? -1 : Keys.getLong(v, 0);
    }

    /** Ends a blob's pending state; its row stays as it is. */
    public void clearPending(MetaBatch batch, long blobId) {
        batch.delete(ColumnFamily.PENDING_BLOBS, Keys.u64(blobId));
    }

    /** Every pending blob (blob id, received-at millis), in blob id order. */
    public void forEachPending(BiConsumer<Long, Long> action) {
        try (MetaCursor c = view.scan(ColumnFamily.PENDING_BLOBS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                action.accept(Keys.getLong(c.key(), 0), Keys.getLong(c.value(), 0));
            }
        }
    }

    /** Drops a blob row without touching the counters; the caller subtracts with {@link #addLive}. */
    public void deleteRow(MetaBatch batch, long blobId) {
        batch.delete(ColumnFamily.BLOBS, Keys.u64(blobId));
    }

    /** Re-points pieces of a blob to their copies ({@code from} → {@code to}), moving the live bytes with them. */
    public void move(MetaBatch batch, long blobId, BlobPieces from, BlobPieces to) {
        batch.put(ColumnFamily.BLOBS, Keys.u64(blobId), BlobCodec.encode(to));
        Map<Long, Long> delta = new TreeMap<>(to.recordBytesBySegment());
        from.recordBytesBySegment().forEach((segment, bytes) -> delta.merge(segment, -bytes, Long::sum));
        delta.forEach((segment, bytes) -> addLive(batch, segment, bytes));
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
    public void forEach(BiConsumer<Long, BlobPieces> action) {
        try (MetaCursor c = view.scan(ColumnFamily.BLOBS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                action.accept(Keys.getLong(c.key(), 0), BlobCodec.decode(c.value()));
            }
        }
    }
}
