package io.tessera.engine.meta;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The {@code buckets} rows: bucket name (UTF-8) → {@link BucketRecord}. */
public final class BucketTable {
    private final MetaView view;

    BucketTable(MetaView view) {
        this.view = view;
    }

    private static byte[] nameKey(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    /** The bucket, or null. */
    public BucketRecord get(String name) {
        byte[] v = view.get(ColumnFamily.BUCKETS, nameKey(name));
        return v == null ? null : BucketRecord.decode(v);
    }

    public void put(MetaBatch batch, BucketRecord row) {
        batch.put(ColumnFamily.BUCKETS, nameKey(row.name()), row.encode());
    }

    public void delete(MetaBatch batch, String name) {
        batch.delete(ColumnFamily.BUCKETS, nameKey(name));
    }

    /** Every bucket, by name. */
    public List<BucketRecord> list() {
        List<BucketRecord> out = new ArrayList<>();
        try (MetaCursor c = view.scan(ColumnFamily.BUCKETS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                out.add(BucketRecord.decode(c.value()));
            }
        }
        return out;
    }
}
