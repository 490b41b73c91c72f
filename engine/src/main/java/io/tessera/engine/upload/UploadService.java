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
import io.tessera.engine.command.Command;
import io.tessera.engine.command.CommandLog;
import io.tessera.engine.object.VersionStamps;
import io.tessera.engine.CompleteOptions;
import io.tessera.engine.CompletedPart;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.meta.BucketRecord;
import io.tessera.engine.meta.Listing;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.meta.PartRecord;
import io.tessera.engine.meta.UploadRecord;
import io.tessera.engine.meta.UploadTable;
import io.tessera.engine.segment.BlobPieces;
import io.tessera.engine.segment.RecordKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Multipart uploads as the requests see them: what is decided before a command is logged (upload ids,
 * times, the part's blob and checksums, the early refusals) and the reads. The commands themselves
 * apply in {@link UploadCommands} and {@link UploadCompleter}, one at a time in log order, which is what
 * makes a part commit, an abort and a complete of one upload linearizable.
 *
 * <p>Thread-safe.
 */
public final class UploadService {
    /** Aborted uploads reclaimed per batch of the background reclaim. */
    private static final int RECLAIM_BATCH = 64;
    /** Tombstones purged per batch. */
    private static final int PURGE_BATCH = 1000;

    private final UploadTable uploads;
    private final BlobStore blobs;
    private final BlobIndex index;
    private final Buckets buckets;
    private final CommandLog log;
    private final LongSupplier clockMillis;
    private final UploadLimits limits;

    public UploadService(MetaStore meta, BlobStore blobs, Buckets buckets, CommandLog log, LongSupplier clockMillis,
                         UploadLimits limits) {
        this.uploads = meta.tables().uploads();
        this.blobs = blobs;
        this.index = blobs.index();
        this.buckets = buckets;
        this.log = log;
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
        BucketRecord b = buckets.require(bucket);
        UploadRecord row = UploadRecord.active(b.id(), key, now, options.owner(), options.metadata().entries(), alg,
                type, false);
        return log.submit(new Command.CreateUpload(bucket, b.id(), UploadIds.newId(now), row));
    }

    static UploadInfo info(String bucket, String uploadId, UploadRecord row) {
        return new UploadInfo(bucket, row.key(), uploadId, Instant.ofEpochMilli(row.initiatedMillis()), row.owner(),
                new ObjectMetadata(row.metadata()), row.checksumAlgorithm(), row.checksumType());
    }

    /** The id of {@code uploadId}, or NO_SUCH_UPLOAD when the text is not an upload id at all. */
    static byte[] parseId(String uploadId) {
        byte[] id = UploadIds.parse(uploadId);
        if (id == null) {
            throw UploadCommands.noSuchUpload(uploadId);
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
        UploadRecord row = uploads.get(id); // refused early; the part's command checks again when it applies
        if (!UploadCommands.isActive(row, b.id(), key)) {
            throw UploadCommands.noSuchUpload(uploadId);
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
                (write, pieces) -> commitPart(b, key, id, partNumber, write, pieces));
    }

    /** Step 3 of the write path: the durable part is published when its command applies, unless the upload closed. */
    private PartInfo commitPart(BucketRecord b, String key, byte[] id, int partNumber, PendingBlob w,
                                BlobPieces pieces) {
        ChecksumValue checksum = w.checksum() == null ? null
                : new ChecksumValue(w.checksumAlgorithm(), BodyChecks.encode(w.checksum()));
        PartRecord part = new PartRecord(w.blobId(), w.written(), Etags.of(w.md5()), checksum,
                clockMillis.getAsLong());
        index.staged(w.blobId(), pieces, w.md5());
        return log.submit(new Command.CommitPart(b.name(), b.id(), key, id, partNumber, part));
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
        byte[] id = parseId(uploadId);
        return index.read(view -> { // the row and the parts as of one instant
            UploadRecord row = view.tables().uploads().get(id);
            if (!UploadCommands.isActive(row, b.id(), key)) {
                throw UploadCommands.noSuchUpload(uploadId);
            }
            List<Map.Entry<Integer, PartRecord>> page = view.tables().parts().page(id, marker + 1, max + 1);
            boolean truncated = page.size() > max;
            List<PartInfo> listed = new ArrayList<>();
            for (Map.Entry<Integer, PartRecord> p : page.subList(0, Math.min(max, page.size()))) {
                listed.add(toInfo(p.getKey(), p.getValue()));
            }
            int next = listed.isEmpty() ? 0 : listed.get(listed.size() - 1).partNumber();
            return new PartListing(info(bucket, uploadId, row), listed, marker, next, max, truncated);
        });
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
     * AbortMultipartUpload: final in one command whatever the number of parts; parts still streaming
     * are refused when their commands apply. With {@code ifInitiatedAt} (S3's
     * {@code x-amz-if-match-initiated-time}) the upload is aborted only if it was created in that second
     * (PRECONDITION_FAILED otherwise); an upload that does not exist then is no error, as in S3.
     */
    public void abort(String bucket, String key, String uploadId, Instant ifInitiatedAt) {
        BucketRecord b = buckets.require(bucket);
        byte[] id = UploadIds.parse(uploadId);
        if (id == null && ifInitiatedAt != null) {
            return;
        }
        log.submit(new Command.AbortUpload(bucket, b.id(), key, id == null ? parseId(uploadId) : id, ifInitiatedAt,
                clockMillis.getAsLong()));
    }

    /** CompleteMultipartUpload: the listed parts become the key's object where they lie, when the command applies. */
    public ObjectInfo complete(String bucket, String key, String uploadId, List<CompletedPart> completed,
                               CompleteOptions options) {
        if (completed.isEmpty()) {
            throw new EngineException(ErrorCode.EMPTY_PART_LIST, "You must specify at least one part");
        }
        byte[] id = parseId(uploadId);
        BucketRecord b = buckets.require(bucket);
        return log.submit(new Command.CompleteUpload(bucket, b.id(), key, id, List.copyOf(completed), options,
                clockMillis.getAsLong(), VersionStamps.newSuffix(), limits.minPartSize()));
    }

    /**
     * Drops the part rows and bytes of aborted uploads, one upload per command, until none is left.
     *
     * @return how many uploads were reclaimed
     */
    public int reclaimAborted() {
        int done = 0;
        List<byte[]> queued;
        while (!(queued = uploads.awaitingReclaim(RECLAIM_BATCH)).isEmpty()) {
            for (byte[] id : queued) {
                log.submit(new Command.ReclaimUpload(id));
                done++;
            }
        }
        return done;
    }

    /**
     * Forgets COMPLETED and ABORTED tombstones that finished before {@code cutoffMillis}, a batch per
     * command.
     *
     * @return how many tombstones were removed
     */
    public int purgeTombstones(long cutoffMillis) {
        int purged = 0;
        int n;
        do {
            n = log.submit(new Command.PurgeTombstones(cutoffMillis, PURGE_BATCH));
            purged += n;
        } while (n == PURGE_BATCH);
        return purged;
    }
}
