package io.tessera.engine.object;

import io.tessera.engine.ListObjectsQuery;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectListing;
import io.tessera.engine.meta.BucketRecord;
import io.tessera.engine.meta.Listing;
import io.tessera.engine.meta.ObjectTable;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of an object listing, straight off the key-ordered {@code objects} range. With a
 * delimiter, each common prefix is emitted once and the scan seeks past all keys under it, so a page
 * costs O(entries returned), not O(keys skipped).
 */
final class ObjectLister {
    private ObjectLister() {
    }

    static ObjectListing list(ObjectTable objects, BucketRecord bucket, ListObjectsQuery q) {
        if (q.maxKeys() <= 0) {
            return new ObjectListing(List.of(), List.of(), false, null);
        }
        String prefix = q.prefix() == null ? "" : q.prefix();
        String delimiter = q.delimiter() == null || q.delimiter().isEmpty() ? null : q.delimiter();
        String after = q.after() == null || q.after().isEmpty() ? null : q.after();
        Listing<ObjectTable.Entry> page = objects.list(bucket.id(), prefix, delimiter, after, q.maxKeys());
        List<ObjectInfo> entries = new ArrayList<>(page.entries().size());
        for (ObjectTable.Entry e : page.entries()) {
            entries.add(ObjectRows.info(bucket.name(), e.key(), e.row()));
        }
        String last = page.endsWithPrefix() ? page.lastPrefix()
                : page.lastEntry() == null ? null : page.lastEntry().key();
        return new ObjectListing(entries, page.prefixes(), page.truncated(), page.truncated() ? last : null);
    }
}
