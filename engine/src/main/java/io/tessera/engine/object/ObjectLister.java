package io.tessera.engine.object;

import io.tessera.engine.ListObjectsQuery;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectListing;
import io.tessera.engine.internal.DelimitedScan;
import io.tessera.engine.internal.Utf8;
import io.tessera.engine.meta.BucketRecord;
import io.tessera.engine.meta.ColumnFamily;
import io.tessera.engine.meta.Keys;
import io.tessera.engine.meta.MetaCursor;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.meta.ObjectRecord;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One page of an object listing, straight off the key-ordered {@code objects} range. With a
 * delimiter, each common prefix is emitted once and the scan seeks past all keys under it, so a page
 * costs O(entries returned), not O(keys skipped).
 */
final class ObjectLister {
    private final MetaStore meta;
    private final BucketRecord bucket;
    private final String prefix;
    private final String delimiter;
    private final String after;
    private final int maxKeys;

    ObjectLister(MetaStore meta, BucketRecord bucket, ListObjectsQuery q) {
        this.meta = meta;
        this.bucket = bucket;
        this.prefix = q.prefix() == null ? "" : q.prefix();
        this.delimiter = q.delimiter() == null || q.delimiter().isEmpty() ? null : q.delimiter();
        this.after = q.after() == null || q.after().isEmpty() ? null : q.after();
        this.maxKeys = q.maxKeys();
    }

    ObjectListing list() {
        if (maxKeys <= 0) {
            return new ObjectListing(List.of(), List.of(), false, null);
        }
        byte[] start = Keys.objectKey(bucket.id(), prefix);
        if (after != null && Utf8.compare(after, prefix) >= 0) {
            byte[] afterKey = Keys.objectKey(bucket.id(), after);
            start = Arrays.copyOf(afterKey, afterKey.length + 1); // the first key strictly after
        }
        byte[] end = Keys.prefixEnd(Keys.objectKey(bucket.id(), prefix));
        DelimitedScan<ObjectInfo> scan = new DelimitedScan<>(bucket.id(), prefix, delimiter, after, end);
        try (MetaCursor c = meta.scan(ColumnFamily.OBJECTS, start, end)) {
            DelimitedScan.Page<ObjectInfo> page = scan.run(c, maxKeys, ObjectLister::keyOf,
                    cur -> ObjectRows.info(bucket.name(), keyOf(cur), ObjectRecord.decode(cur.value())));
            String last = page.endsWithPrefix() ? page.lastPrefix()
                    : page.lastEntry() == null ? null : page.lastEntry().key();
            return new ObjectListing(page.entries(), page.prefixes(), page.truncated(), page.truncated() ? last : null);
        }
    }

    private static String keyOf(MetaCursor c) {
        byte[] k = c.key();
        return new String(k, 8, k.length - 8, StandardCharsets.UTF_8);
    }
}
