package io.tessera.engine.upload;

import io.tessera.engine.ChecksumValue;
import io.tessera.engine.CompleteOptions;
import io.tessera.engine.CompletedPart;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.ObjectChecksum;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.blob.BodyChecks;
import io.tessera.engine.bucket.Buckets;
import io.tessera.engine.ChecksumAlgorithm;
import io.tessera.engine.ChecksumType;
import io.tessera.engine.checksum.MultipartChecksums;
import io.tessera.engine.object.Etags;
import io.tessera.engine.command.Command;
import io.tessera.engine.meta.BucketRecord;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaTables;
import io.tessera.engine.meta.ObjectRecord;
import io.tessera.engine.meta.PartRecord;
import io.tessera.engine.meta.UploadRecord;
import io.tessera.engine.meta.UploadState;
import io.tessera.engine.meta.UsageTable;
import io.tessera.engine.object.ObjectRows;
import io.tessera.engine.object.ObjectService;
import io.tessera.engine.object.VersionStamps;
import io.tessera.engine.object.Preconditions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * CompleteMultipartUpload without copying: the listed parts' blobs become the object's extents
 * where they lie. Validation follows S3's order (empty list, unknown upload, order, missing or
 * mismatched parts, checksums, sizes, whole-object checksum, preconditions); then one batch writes
 * the manifest, turns the upload into a COMPLETED tombstone, drops unlisted parts and the object the
 * key replaces. A repeated identical Complete gets the same answer.
 *
 * <p>Not thread-safe: the apply of CompleteUpload, on the thread that applies commands.
 */
public final class UploadCompleter {
    private final MetaTables tables;
    private final Buckets buckets;
    private final ObjectRows rows;
    private final UploadCommands uploads;
    private final VersionStamps stamps;

    public UploadCompleter(MetaTables tables, Buckets buckets, ObjectRows rows, UploadCommands uploads,
                           VersionStamps stamps) {
        this.tables = tables;
        this.buckets = buckets;
        this.rows = rows;
        this.uploads = uploads;
        this.stamps = stamps;
    }

    public ObjectInfo apply(MetaBatch batch, Command.CompleteUpload c) {
        BucketRecord b = buckets.require(c.bucket(), c.bucketId());
        byte[] id = c.uploadId();
        String uploadId = UploadIds.format(id);
        UploadRecord row = tables.uploads().get(id);
        if (row != null && row.state() == UploadState.COMPLETED && row.bucketId() == b.id()
                && row.key().equals(c.key())) {
            return replay(c.bucket(), uploadId, row, fingerprint(c.parts()));
        }
        uploads.requireActive(id, b.id(), c.key());
        List<CompletedPart> parts = c.parts();
        TreeMap<Integer, PartRecord> uploaded = tables.parts().all(id);
        List<PartRecord> listed = resolveParts(uploaded, row, parts);
        checkSizes(parts, listed, c.minPartSize());
        List<String> etags = new ArrayList<>();
        List<ObjectRecord.Extent> extents = new ArrayList<>();
        long size = 0;
        for (int i = 0; i < parts.size(); i++) {
            PartRecord p = listed.get(i);
            etags.add(p.etag());
            extents.add(new ObjectRecord.Extent(p.blobId(), p.size(), parts.get(i).partNumber(), p.etag(),
                    p.checksum()));
            size += p.size();
        }
        ObjectChecksum checksum = objectChecksum(row, listed);
        CompleteOptions options = c.options();
        if (options.expectedType() != null && row.checksumType() != null
                && options.expectedType() != row.checksumType()) {
            throw new EngineException(ErrorCode.BAD_DIGEST, "the upload was created with checksum type "
                    + row.checksumType() + ", not " + options.expectedType());
        }
        if (options.expectedChecksum() != null) {
            ObjectChecksum want = options.expectedChecksum();
            if (checksum == null || want.algorithm() != checksum.algorithm() || !want.base64().equals(checksum.base64())
                    || (want.partsCount() > 0 && want.partsCount() != checksum.partsCount())) {
                throw new EngineException(ErrorCode.BAD_DIGEST, "the whole-object checksum does not match");
            }
        }
        if (options.expectedSize() >= 0 && options.expectedSize() != size) {
            throw new EngineException(ErrorCode.INVALID_REQUEST,
                    "the object size is " + size + ", not the expected " + options.expectedSize());
        }
        ObjectRecord current = rows.get(b.id(), c.key());
        Preconditions.checkWrite(options.precondition(), current, row.keyHeldObject(), c.key());

        String etag = Etags.multipart(etags);
        ObjectRecord object = new ObjectRecord(size, etag, c.nowMillis(), row.metadata(), row.owner(), checksum,
                extents);
        Set<Integer> keep = new HashSet<>();
        for (CompletedPart p : parts) {
            keep.add(p.partNumber());
        }
        uploads.dropParts(batch, row, id, uploaded, keep);
        tables.usage().add(batch, b.id(), UsageTable.Counter.UPLOADS, -1);
        ObjectRecord stored = rows.write(batch, b.id(), c.key(), b.versioning(), current, object,
                stamps.next(c.nowMillis(), c.versionSuffix()));
        ObjectInfo info = ObjectService.writtenInfo(c.bucket(), c.key(), stored, b.versioning());
        tables.uploads().finish(batch, id, row.completed(c.nowMillis(), fingerprint(parts), etag, checksum, size,
                info.versionId()));
        return info;
    }

    /** Looks up each listed part, checking order, presence, ETag and checksum. */
    private List<PartRecord> resolveParts(java.util.Map<Integer, PartRecord> uploaded, UploadRecord row,
                                          List<CompletedPart> parts) {
        int previous = 0;
        for (CompletedPart p : parts) {
            if (p.partNumber() <= previous) {
                throw new EngineException(ErrorCode.INVALID_PART_ORDER,
                        "The list of parts was not in ascending order. Parts must be ordered by part number.");
            }
            previous = p.partNumber();
        }
        List<PartRecord> listed = new ArrayList<>(parts.size());
        for (CompletedPart p : parts) {
            PartRecord rec = uploaded.get(p.partNumber());
            if (rec == null || p.etag() == null || !Etags.matches(rec.etag(), p.etag())) {
                throw new EngineException(ErrorCode.INVALID_PART, "part " + p.partNumber()
                        + " was not uploaded or its ETag does not match");
            }
            listed.add(rec);
        }
        for (int i = 0; i < parts.size(); i++) {
            ChecksumValue given = parts.get(i).checksum();
            ChecksumValue stored = listed.get(i).checksum();
            if (given != null && (stored == null || given.algorithm() != stored.algorithm()
                    || !given.base64().equals(stored.base64()))) {
                throw new EngineException(ErrorCode.INVALID_PART,
                        "the checksum of part " + parts.get(i).partNumber() + " does not match");
            }
            if (given == null && row.checksumAlgorithm() != null && row.checksumType() == ChecksumType.COMPOSITE) {
                throw new EngineException(ErrorCode.INVALID_REQUEST, "The upload was created using a "
                        + row.checksumAlgorithm().name().toLowerCase() + " checksum. The complete request must include"
                        + " the checksum for each part. It was missing for part " + parts.get(i).partNumber()
                        + " in the request.");
            }
        }
        return listed;
    }

    private static void checkSizes(List<CompletedPart> parts, List<PartRecord> listed, long min) {
        for (int i = 0; i < listed.size() - 1; i++) {
            if (listed.get(i).size() < min) {
                throw new EngineException(ErrorCode.ENTITY_TOO_SMALL, "part " + parts.get(i).partNumber() + " is "
                        + listed.get(i).size() + " bytes, below the minimum of " + min);
            }
        }
    }

    private static ObjectChecksum objectChecksum(UploadRecord row, List<PartRecord> listed) {
        ChecksumAlgorithm alg = row.checksumAlgorithm();
        if (alg == null) {
            return null;
        }
        List<byte[]> digests = new ArrayList<>();
        List<Long> lengths = new ArrayList<>();
        for (PartRecord p : listed) {
            digests.add(BodyChecks.decode(p.checksum()));
            lengths.add(p.size());
        }
        if (row.checksumType() == ChecksumType.FULL_OBJECT) {
            return new ObjectChecksum(alg, ChecksumType.FULL_OBJECT,
                    BodyChecks.encode(MultipartChecksums.fullObject(alg, digests, lengths)), 0);
        }
        return new ObjectChecksum(alg, ChecksumType.COMPOSITE,
                BodyChecks.encode(MultipartChecksums.composite(alg, digests)), listed.size());
    }

    /** A repeated Complete of an already completed upload: same list, same answer; else NoSuchUpload. */
    private static ObjectInfo replay(String bucket, String uploadId, UploadRecord row, byte[] fingerprint) {
        if (row.completedParts() == null || !MessageDigest.isEqual(row.completedParts(), fingerprint)) {
            throw UploadCommands.noSuchUpload(uploadId);
        }
        ObjectInfo info = new ObjectInfo(bucket, row.key(), row.completedSize(), row.completedEtag(),
                Instant.ofEpochMilli(row.finishedMillis()), ObjectMetadata.EMPTY, row.owner(), row.completedChecksum(),
                List.of());
        return row.completedVersionId() == null ? info : info.withVersionId(row.completedVersionId());
    }

    private static byte[] fingerprint(List<CompletedPart> parts) {
        MessageDigest md = Etags.md5();
        for (CompletedPart p : parts) {
            md.update((p.partNumber() + ":" + Etags.normalize(p.etag()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return md.digest();
    }
}
