package io.tessera.engine.object;

import io.tessera.engine.DeleteOutcome;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.ObjectPart;
import io.tessera.engine.VersionIds;
import io.tessera.engine.VersioningState;
import io.tessera.engine.blob.BlobIndex;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaTables;
import io.tessera.engine.meta.ObjectRecord;
import io.tessera.engine.meta.ObjectTable;
import io.tessera.engine.meta.ObjectVersionTable;
import io.tessera.engine.meta.UsageTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Replacing and removing object rows together with the blobs they own and the bucket's usage
 * counters; shared by single-shot writes and Complete. The caller passes the row current when its
 * command applies.
 *
 * <p>In a bucket that has had versioning, {@code objects} keeps the key's current object and
 * {@code object_versions} every other version, delete markers included: a write moves the current
 * object there (Enabled) or replaces the null version (Suspended), a delete adds a marker, and
 * removing a version promotes the next newest object back to current. Every version owns its blobs
 * and counts in the usage (object versions only; markers have no bytes) until it is removed. A new
 * version's stamp is minted while its command is applied ({@link VersionStamps}), so versions rank in
 * log order.
 *
 * <p>Called only by the thread that applies commands.
 */
public final class ObjectRows {
    private final ObjectTable objects;
    private final ObjectVersionTable versions;
    private final UsageTable usage;
    private final BlobIndex index;

    public ObjectRows(MetaTables tables, BlobIndex index) {
        this.objects = tables.objects();
        this.versions = tables.versions();
        this.usage = tables.usage();
        this.index = index;
    }

    /** The current object of a key, or null (none, or a delete marker is current). */
    public ObjectRecord get(long bucketId, String key) {
        return objects.get(bucketId, key);
    }

    /**
     * Stages, in {@code batch}, {@code row} as the key's new current object as the bucket's versioning
     * says: in a never-versioned bucket the object it replaces (if any) becomes garbage; Enabled keeps
     * it as a noncurrent version and the row becomes {@code version}; Suspended makes the
     * row the null version, dropping the previous null version wherever it was. Returns the row stored.
     */
    public ObjectRecord write(MetaBatch batch, long bucketId, String key, VersioningState state, ObjectRecord replaced,
                              ObjectRecord row, VersionStamps.Next version) {
        if (state == VersioningState.UNVERSIONED) {
            put(batch, bucketId, key, replaced, row);
            return row;
        }
        VersionStamps.Minted minted = version.get();
        ObjectRecord stored = row.asVersion(state == VersioningState.ENABLED ? minted.id() : null, minted.stamp());
        if (state == VersioningState.SUSPENDED) {
            dropNullVersion(batch, bucketId, key, replaced);
        }
        if (replaced != null && !(state == VersioningState.SUSPENDED && replaced.isNullVersion())) {
            versions.put(batch, bucketId, key, replaced);
        }
        objects.put(batch, bucketId, key, stored);
        count(batch, bucketId, stored, 1);
        return stored;
    }

    private void put(MetaBatch batch, long bucketId, String key, ObjectRecord replaced, ObjectRecord row) {
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

    /**
     * Stages a delete without a version id: a never-versioned bucket removes the object (a no-op when
     * {@code current} is null, then nothing is staged); Enabled adds {@code version} as a delete marker;
     * Suspended removes the null version and adds a null delete marker.
     */
    public DeleteOutcome deleteCurrent(MetaBatch batch, long bucketId, String key, VersioningState state,
                                      ObjectRecord current, VersionStamps.Next version, String owner, long nowMillis) {
        if (state == VersioningState.UNVERSIONED) {
            if (current != null) {
                delete(batch, bucketId, key, current);
            }
            return DeleteOutcome.UNVERSIONED;
        }
        boolean enabled = state == VersioningState.ENABLED;
        if (!enabled) {
            dropNullVersion(batch, bucketId, key, current);
        }
        if (current != null) {
            if (enabled || !current.isNullVersion()) {
                versions.put(batch, bucketId, key, current);
            }
            objects.delete(batch, bucketId, key);
        }
        VersionStamps.Minted minted = version.get();
        String id = enabled ? minted.id() : null;
        versions.put(batch, bucketId, key, ObjectRecord.marker(id, minted.stamp(), nowMillis, owner));
        return new DeleteOutcome(enabled ? id : VersionIds.NULL, true);
    }

    /**
     * Stages the permanent removal of version {@code versionId} (well-formed; {@code null} names the
     * null version); the next newest version becomes current if the removed one was. Returns null,
     * staging nothing, when the key has no such version.
     */
    public DeleteOutcome deleteVersion(MetaBatch batch, long bucketId, String key, ObjectRecord current,
                                       String versionId) {
        String id = VersionIds.NULL.equals(versionId) ? null : versionId;
        if (current != null && Objects.equals(current.versionId(), id)) {
            dropExtents(batch, current);
            count(batch, bucketId, current, -1);
            objects.delete(batch, bucketId, key);
            promote(batch, bucketId, key, null);
            return new DeleteOutcome(versionId, false);
        }
        ObjectRecord stored = findStored(bucketId, key, id);
        if (stored == null) {
            return null;
        }
        versions.delete(batch, bucketId, key, stored);
        if (!stored.deleteMarker()) {
            dropExtents(batch, stored);
            count(batch, bucketId, stored, -1);
        }
        if (current == null) {
            promote(batch, bucketId, key, stored);
        }
        return new DeleteOutcome(versionId, stored.deleteMarker());
    }

    /** A stored (not current) version by id (Java null: the null version), or null. */
    private ObjectRecord findStored(long bucketId, String key, String id) {
        if (id == null) {
            return versions.nullVersion(bucketId, key);
        }
        ObjectRecord r = versions.get(bucketId, key, VersionIds.stampOf(id), id);
        return r != null && id.equals(r.versionId()) ? r : null;
    }

    /**
     * With no current object left, makes the newest stored version current if it is an object (a
     * newest delete marker stays where it is: it is what the key shows). {@code removed} is a stored
     * version this batch deletes, which the reads here still see.
     */
    private void promote(MetaBatch batch, long bucketId, String key, ObjectRecord removed) {
        for (ObjectRecord r : versions.ofKey(bucketId, key, 2)) {
            if (removed != null && r.stamp() == removed.stamp() && Objects.equals(r.versionId(), removed.versionId())) {
                continue;
            }
            if (!r.deleteMarker()) {
                versions.delete(batch, bucketId, key, r);
                objects.put(batch, bucketId, key, r);
            }
            return;
        }
    }

    /** Drops the key's null version (a current one is overwritten by the caller). */
    private void dropNullVersion(MetaBatch batch, long bucketId, String key, ObjectRecord current) {
        if (current != null && current.isNullVersion()) {
            dropExtents(batch, current);
            count(batch, bucketId, current, -1);
            return;
        }
        ObjectRecord stored = versions.nullVersion(bucketId, key);
        if (stored != null) {
            versions.delete(batch, bucketId, key, stored);
            if (!stored.deleteMarker()) {
                dropExtents(batch, stored);
                count(batch, bucketId, stored, -1);
            }
        }
    }

    private void count(MetaBatch batch, long bucketId, ObjectRecord row, int sign) {
        usage.add(batch, bucketId, UsageTable.Counter.OBJECTS, sign);
        usage.add(batch, bucketId, UsageTable.Counter.OBJECT_BYTES, sign * row.size());
    }

    /** Stages the removal of an object and its blobs (never-versioned buckets). */
    public void delete(MetaBatch batch, long bucketId, String key, ObjectRecord row) {
        dropExtents(batch, row);
        objects.delete(batch, bucketId, key);
        count(batch, bucketId, row, -1);
    }

    private void dropExtents(MetaBatch batch, ObjectRecord row) {
        List<Long> ids = new ArrayList<>(row.extents().size());
        for (ObjectRecord.Extent e : row.extents()) {
            ids.add(e.blobId());
        }
        index.drop(batch, ids);
    }

    /**
     * The version a read asks for from one view of the metadata: the current object when
     * {@code versionId} is null (NO_SUCH_KEY, with the marker when a delete marker is current), else
     * that version (NO_SUCH_VERSION; METHOD_NOT_ALLOWED with the marker for a delete marker).
     */
    public static ObjectRecord resolve(MetaTables t, long bucketId, String bucket, String key, String versionId) {
        ObjectRecord current = t.objects().get(bucketId, key);
        if (versionId == null) {
            if (current != null) {
                return current;
            }
            List<ObjectRecord> newest = t.versions().ofKey(bucketId, key, 1);
            EngineException.DeleteMarker marker = newest.isEmpty() || !newest.get(0).deleteMarker() ? null
                    : markerOf(newest.get(0));
            throw new EngineException(ErrorCode.NO_SUCH_KEY, "object " + key + " does not exist in " + bucket, marker);
        }
        String id = VersionIds.NULL.equals(versionId) ? null : versionId;
        ObjectRecord r = current != null && Objects.equals(current.versionId(), id) ? current : null;
        if (r == null) {
            r = id == null ? t.versions().nullVersion(bucketId, key) : t.versions().get(bucketId, key,
                    VersionIds.stampOf(id), id);
        }
        if (r == null) {
            throw new EngineException(ErrorCode.NO_SUCH_VERSION, "version " + versionId + " of " + key
                    + " does not exist");
        }
        if (r.deleteMarker()) {
            throw new EngineException(ErrorCode.METHOD_NOT_ALLOWED, "version " + versionId + " of " + key
                    + " is a delete marker", markerOf(r));
        }
        return r;
    }

    private static EngineException.DeleteMarker markerOf(ObjectRecord r) {
        return new EngineException.DeleteMarker(idOf(r), Instant.ofEpochMilli(r.lastModifiedMillis()));
    }

    /** The S3 version id of a row of a bucket that has had versioning. */
    public static String idOf(ObjectRecord r) {
        return r.versionId() == null ? VersionIds.NULL : r.versionId();
    }

    /** What a read shows of a row; {@code versioned}: the bucket has had versioning, so ids are shown. */
    public static ObjectInfo info(String bucket, String key, ObjectRecord r, boolean versioned) {
        ObjectInfo info = info(bucket, key, r);
        return versioned ? info.withVersionId(idOf(r)) : info;
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
