package io.tessera.engine.meta;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The {@code objects} rows: bucketId ‖ key (UTF-8) → {@link ObjectRecord}, in S3 listing order. */
public final class ObjectTable {
    private final MetaView view;

    ObjectTable(MetaView view) {
        this.view = view;
    }

    /** The current row of a key, or null. */
    public ObjectRecord get(long bucketId, String key) {
        byte[] v = view.get(ColumnFamily.OBJECTS, Keys.objectKey(bucketId, key));
        return v == null ? null : ObjectRecord.decode(v);
    }

    public void put(MetaBatch batch, long bucketId, String key, ObjectRecord row) {
        batch.put(ColumnFamily.OBJECTS, Keys.objectKey(bucketId, key), row.encode());
    }

    public void delete(MetaBatch batch, long bucketId, String key) {
        batch.delete(ColumnFamily.OBJECTS, Keys.objectKey(bucketId, key));
    }

    /** True when the bucket holds at least one object. */
    public boolean any(long bucketId) {
        try (MetaCursor c = view.scan(ColumnFamily.OBJECTS, Keys.u64(bucketId), Keys.prefixEnd(Keys.u64(bucketId)))) {
            return c.valid();
        }
    }

    /** A listed object: its key and row. */
    public record Entry(String key, ObjectRecord row) {
    }

    /**
     * One page of a bucket's objects under {@code prefix}, after {@code after} (exclusive, or null),
     * with keys rolled up at the first {@code delimiter} (or null) after the prefix.
     */
    public Listing<Entry> list(long bucketId, String prefix, String delimiter, String after, int max) {
        byte[] start = Keys.objectKey(bucketId, prefix);
        if (after != null && Utf8.compare(after, prefix) >= 0) {
            byte[] afterKey = Keys.objectKey(bucketId, after);
            start = Arrays.copyOf(afterKey, afterKey.length + 1); // the first key strictly after
        }
        byte[] end = Keys.prefixEnd(Keys.objectKey(bucketId, prefix));
        DelimitedScan<Entry> scan = new DelimitedScan<>(bucketId, prefix, delimiter, after, end);
        try (MetaCursor c = view.scan(ColumnFamily.OBJECTS, start, end)) {
            return Listing.of(scan.run(c, max, ObjectTable::keyOf,
                    cur -> new Entry(keyOf(cur), ObjectRecord.decode(cur.value()))));
        }
    }

    private static String keyOf(MetaCursor c) {
        byte[] k = c.key();
        return new String(k, 8, k.length - 8, StandardCharsets.UTF_8);
    }

    /** A visitor of object rows with their bucket. */
    @FunctionalInterface
    public interface RowVisitor {
        void visit(long bucketId, String key, ObjectRecord row);
    }

    /** Every object row of the store, with its bucket id. */
    public void forEach(RowVisitor visitor) {
        try (MetaCursor c = view.scan(ColumnFamily.OBJECTS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                visitor.visit(Keys.getLong(c.key(), 0), keyOf(c), ObjectRecord.decode(c.value()));
            }
        }
    }
}
