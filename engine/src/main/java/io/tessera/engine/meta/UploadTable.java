package io.tessera.engine.meta;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Upload rows and their three indexes, kept in step by this class alone:
 *
 * <ul>
 *   <li>{@code uploads}: uploadId → {@link UploadRecord}, ACTIVE or a COMPLETED/ABORTED tombstone;</li>
 *   <li>{@code upload_keys}: bucketId ‖ key ‖ 0x00 ‖ uploadId, only for ACTIVE uploads (ListMultipartUploads);</li>
 *   <li>{@code tombstones}: finishedMillis ‖ uploadId, every tombstone by age, so purging expired ones
 *       is a range scan of just those;</li>
 *   <li>{@code reclaim}: uploadId, for aborted uploads whose part rows and bytes still await the
 *       background reclaim.</li>
 * </ul>
 */
public final class UploadTable {
    private static final byte[] EMPTY = new byte[0];
    private static final int ID_LENGTH = 16;

    private final MetaView view;

    UploadTable(MetaView view) {
        this.view = view;
    }

    public UploadRecord get(byte[] uploadId) {
        byte[] v = view.get(ColumnFamily.UPLOADS, uploadId);
        return v == null ? null : UploadRecord.decode(v);
    }

    /** Stages a new ACTIVE upload and its listing entry. */
    public void open(MetaBatch batch, byte[] uploadId, UploadRecord row) {
        batch.put(ColumnFamily.UPLOADS, uploadId, row.encode());
        batch.put(ColumnFamily.UPLOAD_KEYS, Keys.uploadKey(row.bucketId(), row.key(), uploadId), EMPTY);
    }

    /** Stages the end of an upload: its tombstone replaces the row, leaves the listing, enters the age index. */
    public void finish(MetaBatch batch, byte[] uploadId, UploadRecord tombstone) {
        batch.put(ColumnFamily.UPLOADS, uploadId, tombstone.encode());
        batch.delete(ColumnFamily.UPLOAD_KEYS, Keys.uploadKey(tombstone.bucketId(), tombstone.key(), uploadId));
        batch.put(ColumnFamily.TOMBSTONES, tombstoneKey(tombstone.finishedMillis(), uploadId), EMPTY);
    }

    /** A tombstone in the age index. */
    public record Tombstone(byte[] uploadId, long finishedMillis) {
    }

    /** Up to {@code max} tombstones that finished before {@code cutoffMillis}, oldest first. */
    public List<Tombstone> finishedBefore(long cutoffMillis, int max) {
        List<Tombstone> out = new ArrayList<>();
        try (MetaCursor c = view.scan(ColumnFamily.TOMBSTONES, new byte[0], Keys.u64(Math.max(0, cutoffMillis)))) {
            for (; c.valid() && out.size() < max; c.next()) {
                byte[] k = c.key();
                out.add(new Tombstone(Arrays.copyOfRange(k, 8, k.length), Keys.getLong(k, 0)));
            }
        }
        return out;
    }

    /** Stages the removal of a tombstone and its index entry. */
    public void purge(MetaBatch batch, Tombstone t) {
        batch.delete(ColumnFamily.UPLOADS, t.uploadId());
        batch.delete(ColumnFamily.TOMBSTONES, tombstoneKey(t.finishedMillis(), t.uploadId()));
    }

    private static byte[] tombstoneKey(long finishedMillis, byte[] uploadId) {
        byte[] k = Arrays.copyOf(Keys.u64(finishedMillis), 8 + uploadId.length);
        System.arraycopy(uploadId, 0, k, 8, uploadId.length);
        return k;
    }

    /** Stages an aborted upload's parts for the background reclaim. */
    public void queueReclaim(MetaBatch batch, byte[] uploadId) {
        batch.put(ColumnFamily.RECLAIM, uploadId, EMPTY);
    }

    public void reclaimed(MetaBatch batch, byte[] uploadId) {
        batch.delete(ColumnFamily.RECLAIM, uploadId);
    }

    /** Up to {@code max} aborted uploads whose parts still await reclaim. */
    public List<byte[]> awaitingReclaim(int max) {
        List<byte[]> out = new ArrayList<>();
        try (MetaCursor c = view.scan(ColumnFamily.RECLAIM, new byte[0], null)) {
            for (; c.valid() && out.size() < max; c.next()) {
                out.add(c.key());
            }
        }
        return out;
    }

    public boolean awaitsReclaim(byte[] uploadId) {
        return view.get(ColumnFamily.RECLAIM, uploadId) != null;
    }

    /** True when the bucket has at least one ACTIVE upload. */
    public boolean anyOpen(long bucketId) {
        try (MetaCursor c = view.scan(ColumnFamily.UPLOAD_KEYS, Keys.u64(bucketId),
                Keys.prefixEnd(Keys.u64(bucketId)))) {
            return c.valid();
        }
    }

    /** RocksDB's estimate of the number of tombstones (cheap). */
    public long estimatedTombstones(MetaStore store) {
        return store.estimateKeys(ColumnFamily.TOMBSTONES);
    }

    /** When the oldest ACTIVE upload of a bucket was initiated (upload ids begin with it), or -1 if none. */
    public long oldestOpenMillis(long bucketId) {
        long oldest = -1;
        try (MetaCursor c = view.scan(ColumnFamily.UPLOAD_KEYS, Keys.u64(bucketId), Keys.prefixEnd(Keys.u64(bucketId)))) {
            for (; c.valid(); c.next()) {
                long initiated = Keys.getLong(idOf(c.key()), 0) >>> 16; // the first 6 bytes
                oldest = oldest < 0 ? initiated : Math.min(oldest, initiated);
            }
        }
        return oldest;
    }

    /** A listed upload. */
    public record Entry(byte[] uploadId, UploadRecord row) {
    }

    /**
     * One page of a bucket's ACTIVE uploads under {@code prefix}, by key then upload id (creation
     * order): after {@code keyMarker} (and, for that key, after {@code uploadIdMarker}), with keys
     * rolled up at the first {@code delimiter} after the prefix.
     */
    public Listing<Entry> list(long bucketId, String prefix, String delimiter, String keyMarker,
                               byte[] uploadIdMarker, int max) {
        byte[] prefixKey = Keys.objectKey(bucketId, prefix);
        byte[] start = prefixKey;
        if (keyMarker != null) {
            byte[] after = uploadIdMarker == null
                    ? append(Keys.objectKey(bucketId, keyMarker), (byte) 1) // past every upload of the marker key
                    : append(Keys.uploadKey(bucketId, keyMarker, uploadIdMarker), (byte) 0);
            if (Arrays.compareUnsigned(after, start) > 0) {
                start = after;
            }
        }
        if (max <= 0) {
            return Listing.empty();
        }
        byte[] end = Keys.prefixEnd(prefixKey);
        DelimitedScan<Entry> scan = new DelimitedScan<>(bucketId, prefix, delimiter, keyMarker, end);
        try (MetaCursor c = view.scan(ColumnFamily.UPLOAD_KEYS, start, end)) {
            return Listing.of(scan.run(c, max, UploadTable::keyOf, cur -> {
                byte[] id = idOf(cur.key());
                return new Entry(id, get(id));
            }));
        }
    }

    private static String keyOf(MetaCursor c) {
        byte[] k = c.key();
        return new String(k, 8, k.length - 8 - 1 - ID_LENGTH, StandardCharsets.UTF_8);
    }

    private static byte[] idOf(byte[] listingKey) {
        return Arrays.copyOfRange(listingKey, listingKey.length - ID_LENGTH, listingKey.length);
    }

    private static byte[] append(byte[] a, byte b) {
        byte[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    /**
     * Adds the age-index entries of tombstones written before the index existed; runs once per data
     * directory (a marker in {@code sys} remembers it).
     */
    public void indexOldTombstones(MetaStore store) {
        byte[] marker = "index.tombstones".getBytes(StandardCharsets.US_ASCII);
        if (store.get(ColumnFamily.SYS, marker) != null) {
            return;
        }
        try (MetaBatch batch = store.newBatch()) {
            forEach((id, row) -> {
                if (row.state() != UploadState.ACTIVE) {
                    batch.put(ColumnFamily.TOMBSTONES, tombstoneKey(row.finishedMillis(), id), EMPTY);
                }
            });
            batch.put(ColumnFamily.SYS, marker, EMPTY);
            store.commit(batch);
        }
    }

    /** Every upload row. */
    public void forEach(BiConsumer<byte[], UploadRecord> action) {
        try (MetaCursor c = view.scan(ColumnFamily.UPLOADS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                action.accept(c.key(), UploadRecord.decode(c.value()));
            }
        }
    }

    /** The upload id of every listing entry. */
    public void forEachListed(Consumer<byte[]> action) {
        try (MetaCursor c = view.scan(ColumnFamily.UPLOAD_KEYS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                action.accept(idOf(c.key()));
            }
        }
    }

    /** The upload id of every tombstone index entry. */
    public void forEachIndexedTombstone(Consumer<byte[]> action) {
        try (MetaCursor c = view.scan(ColumnFamily.TOMBSTONES, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                byte[] k = c.key();
                action.accept(Arrays.copyOfRange(k, 8, k.length));
            }
        }
    }
}
