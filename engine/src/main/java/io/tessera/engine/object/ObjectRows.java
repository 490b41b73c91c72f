package io.tessera.engine.object;

import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.ObjectPart;
import io.tessera.engine.blob.BlobStore;
import io.tessera.engine.meta.ColumnFamily;
import io.tessera.engine.meta.Keys;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.meta.ObjectRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reading, replacing and removing object rows; shared by single-shot writes and Complete. */
public final class ObjectRows {
    private final MetaStore meta;
    private final BlobStore blobs;

    public ObjectRows(MetaStore meta, BlobStore blobs) {
        this.meta = meta;
        this.blobs = blobs;
    }

    /** The current row of a key, or null. */
    public ObjectRecord get(long bucketId, String key) {
        byte[] v = meta.get(ColumnFamily.OBJECTS, Keys.objectKey(bucketId, key));
        return v == null ? null : ObjectRecord.decode(v);
    }

    /**
     * Stages, in {@code batch}, the object row for {@code key}; the blobs of the object it replaces
     * (if any) become garbage in the same batch.
     */
    public void put(MetaBatch batch, long bucketId, String key, ObjectRecord replaced, ObjectRecord row) {
        if (replaced != null) {
            dropExtents(batch, replaced);
        }
        batch.put(ColumnFamily.OBJECTS, Keys.objectKey(bucketId, key), row.encode());
    }

    /** Stages the removal of an object and its blobs. */
    public void delete(MetaBatch batch, long bucketId, String key, ObjectRecord row) {
        dropExtents(batch, row);
        batch.delete(ColumnFamily.OBJECTS, Keys.objectKey(bucketId, key));
    }

    private void dropExtents(MetaBatch batch, ObjectRecord row) {
        List<Long> ids = new ArrayList<>(row.extents().size());
        for (ObjectRecord.Extent e : row.extents()) {
            ids.add(e.blobId());
        }
        blobs.dropBlobs(batch, ids);
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
