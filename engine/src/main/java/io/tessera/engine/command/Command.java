package io.tessera.engine.command;

import io.tessera.engine.AccessKeyEntry;
import io.tessera.engine.CompleteOptions;
import io.tessera.engine.CompletedPart;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.PartInfo;
import io.tessera.engine.Precondition;
import io.tessera.engine.DeleteOutcome;
import io.tessera.engine.UploadInfo;
import io.tessera.engine.VersioningState;
import io.tessera.engine.meta.BucketRecord;
import io.tessera.engine.meta.ObjectRecord;
import io.tessera.engine.meta.PartRecord;
import io.tessera.engine.meta.UploadRecord;
import java.time.Instant;
import java.util.List;

/**
 * A change of replicated state: everything {@link Apply} needs to make it, decided before the command
 * enters the log (ids, times, the version id's random part, the blobs it names), so that applying it
 * needs no clock, no randomness and allocates nothing, and every replica that applies the same
 * commands in the same order reaches the same state and answers. {@code R} is what the command
 * answers when it succeeds; a failure (NoSuchUpload for a late part, say) is an answer too, decided
 * the same way on every replica.
 *
 * <p>Object and upload commands name their bucket twice, by name and by the id it had when the request
 * was decided: a bucket deleted and created again in between is another bucket, and the command
 * answers NO_SUCH_BUCKET.
 *
 * <p>Blob ids are the only reference to bytes: where the bytes lie is each node's own business.
 *
 * @param <R> the answer when the command succeeds
 */
public sealed interface Command<R> {

    /** Blob ids this command brings in (bytes written before the command): owned by it if it succeeds. */
    default List<Long> newBlobs() {
        return List.of();
    }

    /**
     * Creates a bucket and starts its grants afresh: grants left on its name are dropped, and
     * {@code grantee} (a key, or null for none) gets {@code granteeBits}, if it still exists then. One
     * command, so that no crash can leave a bucket with the grants of an older bucket of its name.
     */
    record CreateBucket(long bucketId, String name, String owner, long nowMillis, String grantee, int granteeBits)
            implements Command<BucketRecord> {
        /** A bucket whose grants start empty (its creator needs none: an admin key). */
        public CreateBucket(long bucketId, String name, String owner, long nowMillis) {
            this(bucketId, name, owner, nowMillis, null, 0);
        }

        /** Permission bits are one byte. */
        public CreateBucket {
            if (granteeBits < 0 || granteeBits > 0xFF) {
                throw new IllegalArgumentException("permission bits are one byte");
            }
        }
    }

    /** Deletes an empty bucket and every grant on it. */
    record DeleteBucket(String name) implements Command<Void> {
    }

    /** Sets a bucket's sub-resource document; a null document removes it. */
    record SetBucketConfig(String bucket, String name, byte[] document) implements Command<Void> {
    }

    record SetVersioning(String bucket, VersioningState state) implements Command<Void> {
    }

    /**
     * A single-shot object write: {@code row} is the new object (its one extent names the new blob),
     * {@code heldAtStart} whether an If-None-Match: * write found the key held when it began.
     */
    record PutObject(String bucket, long bucketId, String key, ObjectRecord row, Precondition precondition,
                     boolean heldAtStart, String versionSuffix) implements Command<ObjectInfo> {
        @Override
        public List<Long> newBlobs() {
            return List.of(row.extents().get(0).blobId());
        }
    }

    /** A delete without a version id, guarded by {@code precondition} (lifecycle expiry is one). */
    record DeleteObject(String bucket, long bucketId, String key, Precondition precondition, long nowMillis,
                        String versionSuffix) implements Command<DeleteOutcome> {
    }

    /** The removal of one version for good ({@code versionId} "null": the null version). */
    record DeleteVersion(String bucket, long bucketId, String key, String versionId)
            implements Command<DeleteOutcome> {
    }

    /** Sets (or, with a null value, removes) one metadata entry of a key's current object. */
    record SetMetadataEntry(String bucket, long bucketId, String key, String name, String value)
            implements Command<ObjectInfo> {
    }

    record CreateUpload(String bucket, long bucketId, byte[] uploadId, UploadRecord row)
            implements Command<UploadInfo> {
    }

    /** A part whose bytes are durable; refused (NO_SUCH_UPLOAD) if the upload is no longer open. */
    record CommitPart(String bucket, long bucketId, String key, byte[] uploadId, int partNumber, PartRecord part)
            implements Command<PartInfo> {
        @Override
        public List<Long> newBlobs() {
            return List.of(part.blobId());
        }
    }

    record CompleteUpload(String bucket, long bucketId, String key, byte[] uploadId, List<CompletedPart> parts,
                          CompleteOptions options, long nowMillis, String versionSuffix,
                          long minPartSize) implements Command<ObjectInfo> {
    }

    /** Aborts an open upload; with {@code ifInitiatedAt}, only one created in that second. */
    record AbortUpload(String bucket, long bucketId, String key, byte[] uploadId, Instant ifInitiatedAt,
                       long nowMillis) implements Command<Void> {
    }

    /** Drops the parts (rows and blobs) of one aborted upload queued for reclaim. */
    record ReclaimUpload(byte[] uploadId) implements Command<Void> {
    }

    /** Forgets up to {@code limit} upload tombstones finished before {@code cutoffMillis}. */
    record PurgeTombstones(long cutoffMillis, int limit) implements Command<Integer> {
    }

    /**
     * Adds access keys, or replaces those with the same id together with all their grants: a key created
     * (the caller drew its id and secret), or the keys of an imported key file.
     */
    record PutAccessKeys(List<AccessKeyEntry> keys) implements Command<Void> {
    }

    /** Deletes an access key and all its grants; NO_SUCH_KEY when there is no such key. */
    record DeleteAccessKey(String accessKeyId) implements Command<Void> {
    }

    /**
     * Adds the permission bits {@code add} and then removes {@code remove} from what a key holds on a
     * bucket, decided against the grant current when it applies; answers the bits held afterwards.
     * NO_SUCH_KEY when there is no such key.
     */
    record ChangeGrants(String accessKeyId, String bucket, int add, int remove) implements Command<Integer> {
        /** Permission bits are one byte. */
        public ChangeGrants {
            if ((add | remove) < 0 || (add | remove) > 0xFF) {
                throw new IllegalArgumentException("permission bits are one byte");
            }
        }
    }
}
