package io.tessera.engine.upload;

import io.tessera.engine.BodyWriter;
import io.tessera.engine.ChecksumValue;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.ListUploadsQuery;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.PartInfo;
import io.tessera.engine.PartListing;
import io.tessera.engine.PartOptions;
import io.tessera.engine.UploadInfo;
import io.tessera.engine.UploadListing;
import io.tessera.engine.UploadOptions;
import io.tessera.engine.blob.BlobBodyWriter;
import io.tessera.engine.blob.BlobIndex;
import io.tessera.engine.blob.BlobStore;
import io.tessera.engine.blob.BlobWrite;
import io.tessera.engine.blob.PendingBlob;
import io.tessera.engine.blob.BodyChecks;
import io.tessera.engine.bucket.Buckets;
import io.tessera.engine.ChecksumAlgorithm;
import io.tessera.engine.ChecksumType;
import io.tessera.engine.object.Etags;
import io.tessera.engine.lock.StripedLocks;
import io.tessera.engine.meta.BucketRecord;
import io.tessera.engine.meta.Listing;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.meta.PartRecord;
import io.tessera.engine.meta.PartTable;
import io.tessera.engine.meta.UploadRecord;
import io.tessera.engine.meta.UploadTable;
import io.tessera.engine.meta.UsageTable;
import io.tessera.engine.segment.BlobPieces;
import io.tessera.engine.segment.RecordKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Multipart uploads: create, parts, listings and abort. Complete lives in {@link UploadCompleter}.
 *
 * <p>The upload row is the single source of truth. Every command that changes an upload (part
 * commit, abort, complete) runs under that upload's lock and re-reads the row there
 * ({@link LockedUpload}), so they are linearizable: a part commit either lands before an abort (and
 * the abort removes it) or sees the ABORTED tombstone and is refused, its bytes garbage from that
 * moment.
 *
 * <p>Abort costs the same whatever the number of parts: one batch turns the upload into a tombstone
 * and queues it for {@link #reclaimAborted}, which the engine runs in the background right after, to
 * drop the part rows and their bytes.
 *
 * <p>Thread-safe.
 */
public final class UploadService {
    /** Aborted uploads reclaimed per batch of the background reclaim. */
    private static final int RECLAIM_BATCH = 64;
    /** Tombstones purged per batch. */
    private static final int PURGE_BATCH = 1000;

    private final MetaStore meta;
    private final UploadTable uploads;
    private final PartTable parts;
    private final UsageTable usage;
    private final BlobStore blobs;
    private final BlobIndex index;
    private final Buckets buckets;
    private final StripedLocks uploadLocks;
    private final LongSupplier clockMillis;
    private final UploadLimits limits;

    public UploadService(MetaStore meta, BlobStore blobs, Buckets buckets, StripedLocks uploadLocks,
                         LongSupplier clockMillis, UploadLimits limits) {
        this.meta = meta;
        this.uploads = meta.tables().uploads();
        this.parts = meta.tables().parts();
        this.usage = meta.tables().usage();
        this.blobs = blobs;
        this.index = blobs.index();
        this.buckets = buckets;
        this.uploadLocks = uploadLocks;
        this.clockMillis = clockMillis;
        this.limits = limits;
    }

    public UploadInfo create(String bucket, String key, UploadOptions options) {
        ChecksumAlgorithm alg = options.checksumAlgorithm();
        ChecksumType type = options.checksumType();
        if (type != null && alg == null) {
            throw new EngineException(ErrorCode.INVALID_REQUEST, "a checksum type needs a checksum algorithm");
        }
        if (alg != null) {
            type = type == null ? alg.defaultType() : type;
            if (!alg.supports(type)) {
                throw new EngineException(ErrorCode.INVALID_REQUEST,
                        "checksum type " + type + " is not supported for " + alg);
            }
        }
        long now = clockMillis.getAsLong();
        byte[] id = UploadIds.newId(now);
        try (Buckets.Scope scope = buckets.enter(bucket); MetaBatch batch = meta.newBatch()) {
            long bucketId = scope.bucket().id();
            boolean keyHeldObject = meta.tables().objects().get(bucketId, key) != null;
            UploadRecord row = UploadRecord.active(bucketId, key, now, options.owner(),
                    options.metadata().entries(), alg, type, keyHeldObject);
            uploads.open(batch, id, row);
            usage.add(batch, row.bucketId(), UsageTable.Counter.UPLOADS, 1);
            meta.commit(batch);
            return info(bucket, UploadIds.format(id), row);
        }
    }

    static UploadInfo info(String bucket, String uploadId, UploadRecord row) {
        return new UploadInfo(bucket, row.key(), uploadId, Instant.ofEpochMilli(row.initiatedMillis()), row.owner(),
                new ObjectMetadata(row.metadata()), row.checksumAlgorithm(), row.checksumType());
    }

    /** Locks an upload and reads its row under the lock; close the result to unlock. */
    LockedUpload lock(byte[] id) {
        return LockedUpload.lock(uploadLocks, uploads, id);
    }

    /** The id of {@code uploadId}, or NO_SUCH_UPLOAD when the text is not an upload id at all. */
    static byte[] parseId(String uploadId) {
        byte[] id = UploadIds.parse(uploadId);
        if (id == null) {
            throw LockedUpload.noSuchUpload(uploadId);
        }
        return id;
    }

    /**
     * Starts a part: its body is collected in pieces, each appended through a write lane held only for that
     * append.
     */
    public BodyWriter<PartInfo> beginPart(String bucket, String key, String uploadId, int partNumber,
                                          PartOptions options) {
        limits.checkPartNumber(partNumber);
        BucketRecord b = buckets.require(bucket);
        byte[] id = parseId(uploadId);
        UploadRecord row;
        try (LockedUpload up = lock(id)) {
            row = up.requireActive(b.id(), key, uploadId);
        }
        if (options.expectedLength() > limits.maxPartSize()) {
            throw new EngineException(ErrorCode.ENTITY_TOO_LARGE, "part of " + options.expectedLength()
                    + " bytes exceeds the maximum of " + limits.maxPartSize());
        }
        ChecksumAlgorithm uploadAlg = row.checksumAlgorithm();
        if (uploadAlg != null && options.checksumAlgorithm() != null && options.checksumAlgorithm() != uploadAlg) {
            throw new EngineException(ErrorCode.INVALID_REQUEST, "the upload was created with " + uploadAlg
                    + " checksums; this part uses " + options.checksumAlgorithm());
        }
        ChecksumAlgorithm alg = uploadAlg != null ? uploadAlg : options.checksumAlgorithm();
        BlobWrite w = blobs.newWrite(RecordKind.PART, id, partNumber, options.expectedLength(), limits.maxPartSize(),
                alg);
        return new BlobBodyWriter<>(w, options.expectedLength(),
                (write, pieces) -> commitPart(uploadId, id, b.id(), key, partNumber, write, pieces));
    }

    /** Step 3 of the write path: publish the durable part, unless the upload is no longer open. */
    private PartInfo commitPart(String uploadId, byte[] id, long bucketId, String key, int partNumber, PendingBlob w,
                                BlobPieces pieces) {
        long now = clockMillis.getAsLong();
        ChecksumValue checksum = w.checksum() == null ? null
                : new ChecksumValue(w.checksumAlgorithm(), BodyChecks.encode(w.checksum()));
        PartRecord part = new PartRecord(w.blobId(), w.written(), Etags.of(w.md5()), checksum, now);
        try (LockedUpload up = lock(id); MetaBatch batch = index.newBatch()) {
            up.requireActive(bucketId, key, uploadId); // a late part: its bytes are garbage from now on
            PartRecord old = parts.get(id, partNumber);
            if (old != null) {
                index.drop(batch, old.blobId());
            }
            index.add(batch, w.blobId(), pieces);
            parts.put(batch, id, partNumber, part);
            usage.add(batch, bucketId, UsageTable.Counter.UPLOAD_BYTES, part.size() - (old == null ? 0 : old.size()));
            meta.commit(batch);
        }
        return toInfo(partNumber, part);
    }

    static PartInfo toInfo(int partNumber, PartRecord p) {
        return new PartInfo(partNumber, p.size(), p.etag(), Instant.ofEpochMilli(p.lastModifiedMillis()), p.checksum());
    }

    /** ListParts: parts numbered above {@code marker}, at most {@code maxParts}. */
    public PartListing listParts(String bucket, String key, String uploadId, int maxParts, int marker) {
        if (maxParts < 0 || marker < 0) {
            throw new EngineException(ErrorCode.INVALID_ARGUMENT, "max-parts and part-number-marker must be >= 0");
        }
        int max = Math.min(maxParts, 1000);
        BucketRecord b = buckets.require(bucket);
        try (LockedUpload up = lock(parseId(uploadId))) { // no abort or part commit between the row and the parts
            UploadRecord row = up.requireActive(b.id(), key, uploadId);
            List<Map.Entry<Integer, PartRecord>> page = parts.page(up.id(), marker + 1, max + 1);
            boolean truncated = page.size() > max;
            List<PartInfo> listed = new ArrayList<>();
            for (Map.Entry<Integer, PartRecord> p : page.subList(0, Math.min(max, page.size()))) {
                listed.add(toInfo(p.getKey(), p.getValue()));
            }
            int next = listed.isEmpty() ? 0 : listed.get(listed.size() - 1).partNumber();
            return new PartListing(info(bucket, uploadId, row), listed, marker, next, max, truncated);
        }
    }

    /** ListMultipartUploads: open uploads by key, then by upload id (creation order). */
    public UploadListing listUploads(String bucket, ListUploadsQuery q) {
        BucketRecord b = buckets.require(bucket);
        int max = Math.max(0, Math.min(q.maxUploads(), 1000));
        String prefix = q.prefix() == null ? "" : q.prefix();
        String keyMarker = q.keyMarker() == null || q.keyMarker().isEmpty() ? null : q.keyMarker();
        String delimiter = q.delimiter() == null || q.delimiter().isEmpty() ? null : q.delimiter();
        Listing<UploadTable.Entry> page = uploads.list(b.id(), prefix, delimiter, keyMarker,
                keyMarker == null ? null : UploadIds.parse(q.uploadIdMarker()), max);
        List<UploadInfo> entries = new ArrayList<>(page.entries().size());
        for (UploadTable.Entry e : page.entries()) {
            entries.add(info(bucket, UploadIds.format(e.uploadId()), e.row()));
        }
        String nextKey = null;
        String nextId = null;
        if (page.truncated()) {
            nextKey = page.endsWithPrefix() ? page.lastPrefix() : page.lastEntry().row().key();
            nextId = page.endsWithPrefix() ? null : UploadIds.format(page.lastEntry().uploadId());
        }
        return new UploadListing(entries, page.prefixes(), page.truncated(), nextKey, nextId);
    }

    /**
     * AbortMultipartUpload: one batch makes the upload an ABORTED tombstone, drops it from the
     * listings and queues its parts for {@link #reclaimAborted}; parts still streaming will find the
     * tombstone and be refused. Its cost does not depend on the number of parts.
     *
     * <p>With {@code ifInitiatedAt} (S3's {@code x-amz-if-match-initiated-time}) the upload is aborted
     * only if it was created in that second (PRECONDITION_FAILED otherwise), checked under the upload's
     * lock; an upload that does not exist then is no error, as in S3.
     */
    public void abort(String bucket, String key, String uploadId, Instant ifInitiatedAt) {
        BucketRecord b = buckets.require(bucket);
        byte[] id = UploadIds.parse(uploadId);
        if (id == null && ifInitiatedAt != null) {
            return;
        }
        try (LockedUpload up = lock(id == null ? parseId(uploadId) : id); MetaBatch batch = meta.newBatch()) {
            if (ifInitiatedAt != null && !up.isActive(b.id(), key)) {
                return;
            }
            UploadRecord row = up.requireActive(b.id(), key, uploadId);
            // to the second: the condition arrives as an HTTP date
            if (ifInitiatedAt != null
                    && Math.floorDiv(row.initiatedMillis(), 1000L) != ifInitiatedAt.getEpochSecond()) {
                throw new EngineException(ErrorCode.PRECONDITION_FAILED,
                        "upload " + uploadId + " was initiated at another time");
            }
            uploads.finish(batch, up.id(), row.aborted(clockMillis.getAsLong()));
            uploads.queueReclaim(batch, up.id());
            usage.add(batch, row.bucketId(), UsageTable.Counter.UPLOADS, -1);
            meta.commit(batch);
        }
    }

    /**
     * Drops the part rows and bytes of aborted uploads, one upload per batch, until none is left.
     *
     * @return how many uploads were reclaimed
     */
    public int reclaimAborted() {
        int done = 0;
        List<byte[]> queued;
        while (!(queued = uploads.awaitingReclaim(RECLAIM_BATCH)).isEmpty()) {
            for (byte[] id : queued) {
                try (LockedUpload up = lock(id); MetaBatch batch = index.newBatch()) {
                    dropParts(batch, up.row(), id, parts.all(id), Set.of());
                    uploads.reclaimed(batch, id);
                    meta.commit(batch);
                }
                done++;
            }
        }
        return done;
    }

    /**
     * Forgets COMPLETED and ABORTED tombstones that finished before {@code cutoffMillis}, in batches
     * off the age index. A tombstone must outlive every request that could still be in flight for its
     * upload; after that a missing row answers NoSuchUpload just the same, because upload ids are
     * never reused.
     *
     * @return how many tombstones were removed
     */
    public int purgeTombstones(long cutoffMillis) {
        int purged = 0;
        List<UploadTable.Tombstone> expired;
        while (!(expired = uploads.finishedBefore(cutoffMillis, PURGE_BATCH)).isEmpty()) {
            try (MetaBatch batch = meta.newBatch()) {
                for (UploadTable.Tombstone t : expired) {
                    uploads.purge(batch, t);
                }
                meta.commit(batch);
            }
            purged += expired.size();
        }
        return purged;
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
            usage.add(batch, upload.bucketId(), UsageTable.Counter.UPLOAD_BYTES, -bytes);
        }
        parts.deleteAll(batch, id);
        index.drop(batch, garbage);
    }

    MetaStore meta() {
        return meta;
    }

    BlobIndex index() {
        return index;
    }

    UsageTable usage() {
        return usage;
    }

    UploadTable uploads() {
        return uploads;
    }

    PartTable parts() {
        return parts;
    }

    LongSupplier clock() {
        return clockMillis;
    }

    UploadLimits limits() {
        return limits;
    }
}
