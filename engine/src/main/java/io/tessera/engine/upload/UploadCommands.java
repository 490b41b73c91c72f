package io.tessera.engine.upload;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.PartInfo;
import io.tessera.engine.UploadInfo;
import io.tessera.engine.blob.BlobIndex;
import io.tessera.engine.bucket.Buckets;
import io.tessera.engine.command.Command;
import io.tessera.engine.meta.BucketRecord;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaTables;
import io.tessera.engine.meta.PartRecord;
import io.tessera.engine.meta.UploadRecord;
import io.tessera.engine.meta.UploadState;
import io.tessera.engine.meta.UploadTable;
import io.tessera.engine.meta.UsageTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The apply of the commands that change an upload: create, part commit, abort, the reclaim of an
 * aborted upload's parts and the purge of old tombstones (Complete is {@link UploadCompleter}).
 *
 * <p>The upload row is the single source of truth, and commands apply one at a time in log order, so
 * they are linearizable: a part commit either applies before an abort (and the abort's reclaim removes
 * it) or finds the ABORTED tombstone and answers NO_SUCH_UPLOAD, its bytes garbage from that moment.
 *
 * <p>Abort costs the same whatever the number of parts: one batch turns the upload into a tombstone
 * and queues it for reclaim; each reclaim command then drops one upload's part rows and bytes.
 *
 * <p>Not thread-safe: belongs to the thread that applies commands.
 */
public final class UploadCommands {
    private final MetaTables tables;
    private final Buckets buckets;
    private final BlobIndex index;

    public UploadCommands(MetaTables tables, Buckets buckets, BlobIndex index) {
        this.tables = tables;
        this.buckets = buckets;
        this.index = index;
    }

    public UploadInfo apply(MetaBatch batch, Command.CreateUpload c) {
        BucketRecord b = buckets.require(c.bucket(), c.bucketId());
        UploadRecord row = c.row().withKeyHeldObject(tables.objects().get(b.id(), c.row().key()) != null);
        tables.uploads().open(batch, c.uploadId(), row);
        tables.usage().add(batch, b.id(), UsageTable.Counter.UPLOADS, 1);
        return UploadService.info(c.bucket(), UploadIds.format(c.uploadId()), row);
    }

    /** Publishes a durable part, unless the upload is no longer open: then its bytes are garbage. */
    public PartInfo apply(MetaBatch batch, Command.CommitPart c) {
        BucketRecord b = buckets.require(c.bucket(), c.bucketId());
        requireActive(c.uploadId(), b.id(), c.key());
        PartRecord old = tables.parts().get(c.uploadId(), c.partNumber());
        if (old != null) {
            index.drop(batch, old.blobId());
        }
        index.adopt(batch, c.part().blobId());
        tables.parts().put(batch, c.uploadId(), c.partNumber(), c.part());
        tables.usage().add(batch, b.id(), UsageTable.Counter.UPLOAD_BYTES,
                c.part().size() - (old == null ? 0 : old.size()));
        return UploadService.toInfo(c.partNumber(), c.part());
    }

    /**
     * Makes the upload an ABORTED tombstone, drops it from the listings and queues its parts for
     * reclaim. With {@code ifInitiatedAt} (S3's {@code x-amz-if-match-initiated-time}) only an upload
     * created in that second is aborted (PRECONDITION_FAILED otherwise), and one that is not open is no
     * error, as in S3.
     */
    public Void apply(MetaBatch batch, Command.AbortUpload c) {
        BucketRecord b = buckets.require(c.bucket(), c.bucketId());
        UploadRecord row = tables.uploads().get(c.uploadId());
        if (c.ifInitiatedAt() != null && !isActive(row, b.id(), c.key())) {
            return null;
        }
        requireActive(c.uploadId(), b.id(), c.key());
        // to the second: the condition arrives as an HTTP date
        if (c.ifInitiatedAt() != null
                && Math.floorDiv(row.initiatedMillis(), 1000L) != c.ifInitiatedAt().getEpochSecond()) {
            throw new EngineException(ErrorCode.PRECONDITION_FAILED,
                    "upload " + UploadIds.format(c.uploadId()) + " was initiated at another time");
        }
        tables.uploads().finish(batch, c.uploadId(), row.aborted(c.nowMillis()));
        tables.uploads().queueReclaim(batch, c.uploadId());
        tables.usage().add(batch, row.bucketId(), UsageTable.Counter.UPLOADS, -1);
        return null;
    }

    /** Drops the part rows and bytes of one aborted upload queued for reclaim (none: nothing to do). */
    public Void apply(MetaBatch batch, Command.ReclaimUpload c) {
        if (!tables.uploads().awaitsReclaim(c.uploadId())) {
            return null;
        }
        byte[] id = c.uploadId();
        dropParts(batch, tables.uploads().get(id), id, tables.parts().all(id), Set.of());
        tables.uploads().reclaimed(batch, id);
        return null;
    }

    /**
     * Forgets COMPLETED and ABORTED tombstones that finished before the cutoff, at most {@code limit},
     * oldest first. A tombstone must outlive every request that could still be in flight for its
     * upload; after that a missing row answers NoSuchUpload just the same, as upload ids never repeat.
     */
    public Integer apply(MetaBatch batch, Command.PurgeTombstones c) {
        List<UploadTable.Tombstone> expired = tables.uploads().finishedBefore(c.cutoffMillis(), c.limit());
        for (UploadTable.Tombstone t : expired) {
            tables.uploads().purge(batch, t);
        }
        return expired.size();
    }

    /** The row, if the upload is ACTIVE in {@code bucketId} under {@code key}; NO_SUCH_UPLOAD otherwise. */
    UploadRecord requireActive(byte[] uploadId, long bucketId, String key) {
        UploadRecord row = tables.uploads().get(uploadId);
        if (!isActive(row, bucketId, key)) {
            throw noSuchUpload(UploadIds.format(uploadId));
        }
        return row;
    }

    static boolean isActive(UploadRecord row, long bucketId, String key) {
        return row != null && row.state() == UploadState.ACTIVE && row.bucketId() == bucketId && row.key().equals(key);
    }

    static EngineException noSuchUpload(String uploadId) {
        return new EngineException(ErrorCode.NO_SUCH_UPLOAD, "upload " + uploadId + " does not exist");
    }

    /**
     * Stages the removal of every part row of an upload (one range delete); the blobs of parts not
     * in {@code keep} are dropped too, the others now belong to an object.
     */
    void dropParts(MetaBatch batch, UploadRecord upload, byte[] id, Map<Integer, PartRecord> all, Set<Integer> keep) {
        List<Long> garbage = new ArrayList<>();
        long bytes = 0;
        for (Map.Entry<Integer, PartRecord> p : all.entrySet()) {
            bytes += p.getValue().size();
            if (!keep.contains(p.getKey())) {
                garbage.add(p.getValue().blobId());
            }
        }
        if (upload != null) { // a tombstone is purged long after its reclaim; if not, the parts still go
            tables.usage().add(batch, upload.bucketId(), UsageTable.Counter.UPLOAD_BYTES, -bytes);
        }
        tables.parts().deleteAll(batch, id);
        index.drop(batch, garbage);
    }
}
