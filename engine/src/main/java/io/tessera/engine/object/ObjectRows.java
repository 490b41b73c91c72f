package io.tessera.engine.object;

import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.ObjectPart;
import io.tessera.engine.blob.BlobIndex;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.ObjectRecord;
import io.tessera.engine.meta.ObjectTable;
import io.tessera.engine.meta.UsageTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Replacing and removing object rows together with the blobs they own and the bucket's usage
 * counters; shared by single-shot writes and Complete. The caller holds the key's lock and passes the row it read under it.
 */
public final class ObjectRows {
    private final ObjectTable objects;
    private final UsageTable usage;
    private final BlobIndex index;

    public ObjectRows(ObjectTable objects, UsageTable usage, BlobIndex index) {
        this.objects = objects;
        this.usage = usage;
        this.index = index;
    }

    /** The current row of a key, or null. */
    public ObjectRecord get(long bucketId, String key) {
        return objects.get(bucketId, key);
    }

    /**
     * Stages, in {@code batch}, the object row for {@code key}; the blobs of the object it replaces
     * (if any) become garbage in the same batch.
     */
    public void put(MetaBatch batch, long bucketId, String key, ObjectRecord replaced, ObjectRecord row) {
        if (replaced != null) {
            dropExtents(batch, replaced);
        }
        objects.put(batch, bucketId, key, row);
        usage.add(batch, bucketId, UsageTable.Counter.OBJECTS, replaced == null ? 1 : 0);
        usage.add(batch, bucketId, UsageTable.Counter.OBJECT_BYTES, row.size() - (replaced == null ? 0 : replaced.size()));
    }

    /**
     * Stages a new row for an object whose bytes stay the same ({@code row} keeps the extents, hence the
     * blobs, and the size of the current row): no blob changes owner and no counter moves.
     */
    public void rewrite(MetaBatch batch, long bucketId, String key, ObjectRecord row) {
        objects.put(batch, bucketId, key, row);
    }

    /** Stages the removal of an object and its blobs. */
    public void delete(MetaBatch batch, long bucketId, String key, ObjectRecord row) {
        dropExtents(batch, row);
        objects.delete(batch, bucketId, key);
        usage.add(batch, bucketId, UsageTable.Counter.OBJECTS, -1);
        usage.add(batch, bucketId, UsageTable.Counter.OBJECT_BYTES, -row.size());
    }

    private void dropExtents(MetaBatch batch, ObjectRecord row) {
        List<Long> ids = new ArrayList<>(row.extents().size());
        for (ObjectRecord.Extent e : row.extents()) {
            ids.add(e.blobId());
        }
        index.drop(batch, ids);
    }

    public static ObjectInfo info(String bucket, String key, ObjectRecord r) {
        List<ObjectPart> parts = new ArrayList<>();
        if (r.multipart()) {
            for (ObjectRecord.Extent e : r.extents()) {
                parts.add(new ObjectPart(e.partNumber(), e.size(), e.etag(), e.checksum()));
            }
        }
        return new ObjectInfo(bucket, key, r.size(), r.etag(), Instant.ofEpochMilli(r.lastModifiedMillis()),
                new ObjectMetadata(r.metadata()), r.owner(), r.checksum(), parts);
    }
}
