package io.tessera.engine.object;

import io.tessera.engine.DeleteOutcome;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.VersioningState;
import io.tessera.engine.blob.BlobIndex;
import io.tessera.engine.bucket.Buckets;
import io.tessera.engine.command.Command;
import io.tessera.engine.meta.BucketRecord;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaTables;
import io.tessera.engine.meta.ObjectRecord;
import java.util.Map;
import java.util.TreeMap;

/**
 * The apply of the commands that change a key: reads the key's rows as the log has them at this
 * command, decides (preconditions, versioning), and stages the change. A command that fails stages
 * nothing it keeps.
 *
 * <p>Not thread-safe: belongs to the thread that applies commands.
 */
public final class ObjectCommands {
    private final MetaTables tables;
    private final Buckets buckets;
    private final ObjectRows rows;
    private final BlobIndex index;
    private final VersionStamps stamps;

    public ObjectCommands(MetaTables tables, Buckets buckets, ObjectRows rows, BlobIndex index,
                          VersionStamps stamps) {
        this.tables = tables;
        this.buckets = buckets;
        this.rows = rows;
        this.index = index;
        this.stamps = stamps;
    }

    public ObjectInfo apply(MetaBatch batch, Command.PutObject c) {
        BucketRecord b = buckets.require(c.bucket(), c.bucketId());
        ObjectRecord current = rows.get(b.id(), c.key());
        Preconditions.checkWrite(c.precondition(), current, c.heldAtStart(), c.key());
        index.adopt(batch, c.row().extents().get(0).blobId());
        ObjectRecord stored = rows.write(batch, b.id(), c.key(), b.versioning(), current, c.row(),
                stamps.next(c.row().lastModifiedMillis(), c.versionSuffix()));
        return ObjectService.writtenInfo(c.bucket(), c.key(), stored, b.versioning());
    }

    /** A delete without a version id; absent keys are fine unless the precondition needs an object. */
    public DeleteOutcome apply(MetaBatch batch, Command.DeleteObject c) {
        BucketRecord b = buckets.require(c.bucket(), c.bucketId());
        ObjectRecord current = rows.get(b.id(), c.key());
        Preconditions.checkDelete(c.precondition(), current, c.key());
        return rows.deleteCurrent(batch, b.id(), c.key(), b.versioning(), current,
                stamps.next(c.nowMillis(), c.versionSuffix()), b.owner(), c.nowMillis());
    }

    /** Removes one version for good; one that does not exist is no error (S3 answers 204). */
    public DeleteOutcome apply(MetaBatch batch, Command.DeleteVersion c) {
        BucketRecord b = buckets.require(c.bucket(), c.bucketId());
        DeleteOutcome out = rows.deleteVersion(batch, b.id(), c.key(), rows.get(b.id(), c.key()), c.versionId());
        return out == null ? new DeleteOutcome(c.versionId(), false) : out;
    }

    /**
     * Changes one metadata entry of the current object, leaving its bytes, ETag, size and last-modified
     * time as they are; NO_SUCH_KEY when the key holds no object.
     */
    public ObjectInfo apply(MetaBatch batch, Command.SetMetadataEntry c) {
        BucketRecord b = buckets.require(c.bucket(), c.bucketId());
        ObjectRecord current = ObjectRows.resolve(tables, b.id(), c.bucket(), c.key(), null);
        Map<String, String> entries = new TreeMap<>(current.metadata());
        if (c.value() == null) {
            entries.remove(c.name());
        } else {
            entries.put(c.name(), c.value());
        }
        ObjectRecord row = new ObjectRecord(current.size(), current.etag(), current.lastModifiedMillis(),
                new ObjectMetadata(entries).entries(), current.owner(), current.checksum(), current.extents(),
                current.versionId(), current.stamp(), current.deleteMarker());
        rows.rewrite(batch, b.id(), c.key(), row);
        return ObjectRows.info(c.bucket(), c.key(), row, b.versioning() != VersioningState.UNVERSIONED);
    }
}
