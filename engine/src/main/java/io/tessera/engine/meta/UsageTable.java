package io.tessera.engine.meta;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Per-bucket usage counters ({@code bucket_usage}): objects and their bytes, incomplete uploads and
 * the bytes their parts hold. Changed by merge deltas in the same batches that add or drop the rows
 * they count, so they are exact at every commit and cost no scan to read.
 */
public final class UsageTable {
    /** The counters of one bucket. */
    public enum Counter {
        OBJECTS, OBJECT_BYTES, UPLOADS, UPLOAD_BYTES
    }

    /** A bucket's counters. */
    public record Usage(long objects, long objectBytes, long uploads, long uploadBytes) {
    }

    private final MetaView view;

    UsageTable(MetaView view) {
        this.view = view;
    }

    private static byte[] key(long bucketId, Counter c) {
        byte[] k = Arrays.copyOf(Keys.u64(bucketId), 9);
        k[8] = (byte) c.ordinal();
        return k;
    }

    /** Adds {@code delta} (may be negative) to one counter of a bucket. */
    public void add(MetaBatch batch, long bucketId, Counter counter, long delta) {
        if (delta != 0) {
            batch.merge(ColumnFamily.BUCKET_USAGE, key(bucketId, counter), MetaStore.encodeCounter(delta));
        }
    }

    public Usage get(long bucketId) {
        long[] v = new long[Counter.values().length];
        for (Counter c : Counter.values()) {
            byte[] raw = view.get(ColumnFamily.BUCKET_USAGE, key(bucketId, c));
            v[c.ordinal()] = raw == null ? 0 : MetaStore.decodeCounter(raw);
        }
        return new Usage(v[0], v[1], v[2], v[3]);
    }

    /** Removes a deleted bucket's counters. */
    public void forget(MetaBatch batch, long bucketId) {
        batch.deleteRange(ColumnFamily.BUCKET_USAGE, Keys.u64(bucketId), Keys.u64(bucketId + 1));
    }

    /**
     * Counts what data directories written before these counters existed already hold; runs once per
     * data directory (a marker in {@code sys} remembers it).
     */
    public void countExisting(MetaStore store) {
        byte[] marker = "count.bucket_usage".getBytes(StandardCharsets.US_ASCII);
        if (store.get(ColumnFamily.SYS, marker) != null) {
            return;
        }
        MetaTables t = store.tables();
        try (MetaBatch batch = store.newBatch()) {
            try (MetaCursor c = store.scan(ColumnFamily.OBJECTS, new byte[0], null)) {
                for (; c.valid(); c.next()) {
                    long bucketId = Keys.getLong(c.key(), 0);
                    add(batch, bucketId, Counter.OBJECTS, 1);
                    add(batch, bucketId, Counter.OBJECT_BYTES, ObjectRecord.decode(c.value()).size());
                }
            }
            t.versions().forEach((bucketId, key, row) -> {
                if (!row.deleteMarker()) {
                    add(batch, bucketId, Counter.OBJECTS, 1);
                    add(batch, bucketId, Counter.OBJECT_BYTES, row.size());
                }
            });
            t.uploads().forEach((id, row) -> {
                if (row.state() == UploadState.ACTIVE) {
                    add(batch, row.bucketId(), Counter.UPLOADS, 1);
                }
            });
            t.parts().forEach((id, part) -> {
                UploadRecord row = t.uploads().get(id);
                if (row != null) {
                    add(batch, row.bucketId(), Counter.UPLOAD_BYTES, part.size());
                }
            });
            batch.put(ColumnFamily.SYS, marker, new byte[0]);
            store.commit(batch);
        }
    }
}
