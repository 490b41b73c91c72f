package io.tessera.engine.upload;

import io.tessera.engine.BodyWriter;
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
import io.tessera.engine.ChecksumValue;
import io.tessera.engine.blob.BlobBodyWriter;
import io.tessera.engine.blob.BlobStore;
import io.tessera.engine.blob.BlobWrite;
import io.tessera.engine.blob.BodyChecks;
import io.tessera.engine.bucket.Buckets;
import io.tessera.engine.checksum.ChecksumAlgorithm;
import io.tessera.engine.checksum.ChecksumType;
import io.tessera.engine.internal.DelimitedScan;
import io.tessera.engine.internal.Etags;
import io.tessera.engine.internal.StripedLocks;
import io.tessera.engine.internal.UploadIds;
import io.tessera.engine.meta.BucketRecord;
import io.tessera.engine.meta.ColumnFamily;
import io.tessera.engine.meta.Keys;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaCursor;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.meta.PartRecord;
import io.tessera.engine.meta.UploadRecord;
import io.tessera.engine.meta.UploadState;
import io.tessera.engine.segment.BlobLocation;
import io.tessera.engine.segment.RecordKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Multipart uploads: create, parts, listings and abort. Complete lives in {@link UploadCompleter}.
 *
 * <p>The upload row is the single source of truth. Every command that changes an upload (part
 * commit, abort, complete) runs under that upload's lock and re-reads the row there, so they are
 * linearizable: a part commit either lands before an abort (and the abort removes it) or sees the
 * ABORTED tombstone and is refused, its bytes garbage from that moment.
 *
 * <p>Thread-safe.
 */
public final class UploadService {
    private final MetaStore meta;
    private final BlobStore blobs;
    private final Buckets buckets;
    private final StripedLocks uploadLocks;
    private final LongSupplier clockMillis;
    private final UploadLimits limits;

    public UploadService(MetaStore meta, BlobStore blobs, Buckets buckets, StripedLocks uploadLocks,
                         LongSupplier clockMillis, UploadLimits limits) {
        this.meta = meta;
        this.blobs = blobs;
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
            UploadRecord row = UploadRecord.active(bucketId, key, now, options.owner(), options.metadata().entries(),
                    alg, type);
            batch.put(ColumnFamily.UPLOADS, id, row.encode());
            batch.put(ColumnFamily.UPLOAD_KEYS, Keys.uploadKey(bucketId, key, id), new byte[0]);
            meta.commit(batch);
            return info(bucket, UploadIds.format(id), row);
        }
    }

    static UploadInfo info(String bucket, String uploadId, UploadRecord row) {
        return new UploadInfo(bucket, row.key(), uploadId, Instant.ofEpochMilli(row.initiatedMillis()), row.owner(),
                new ObjectMetadata(row.metadata()), row.checksumAlgorithm(), row.checksumType());
    }

    /** The open upload {@code uploadId} of {@code bucket/key}, or NO_SUCH_UPLOAD. */
    ActiveUpload requireActive(String bucket, String key, String uploadId) {
        BucketRecord b = buckets.require(bucket);
        byte[] id = UploadIds.parse(uploadId);
        UploadRecord row = id == null ? null : readRow(id);
        if (row == null || row.state() != UploadState.ACTIVE || row.bucketId() != b.id() || !row.key().equals(key)) {
            throw noSuchUpload(uploadId);
        }
        return new ActiveUpload(b, id, row);
    }

    record ActiveUpload(BucketRecord bucket, byte[] id, UploadRecord row) {
    }

    UploadRecord readRow(byte[] id) {
        byte[] v = meta.get(ColumnFamily.UPLOADS, id);
        return v == null ? null : UploadRecord.decode(v);
    }

    static EngineException noSuchUpload(String uploadId) {
        return new EngineException(ErrorCode.NO_SUCH_UPLOAD, "upload " + uploadId + " does not exist");
    }

    public BodyWriter<PartInfo> beginPart(String bucket, String key, String uploadId, int partNumber,
                                          PartOptions options) {
        limits.checkPartNumber(partNumber);
        ActiveUpload up = requireActive(bucket, key, uploadId);
        if (options.expectedLength() > limits.maxPartSize()) {
            throw new EngineException(ErrorCode.ENTITY_TOO_LARGE, "part of " + options.expectedLength()
                    + " bytes exceeds the maximum of " + limits.maxPartSize());
        }
        ChecksumAlgorithm uploadAlg = up.row().checksumAlgorithm();
        if (uploadAlg != null && options.checksumAlgorithm() != null && options.checksumAlgorithm() != uploadAlg) {
            throw new EngineException(ErrorCode.INVALID_REQUEST, "the upload was created with " + uploadAlg
                    + " checksums; this part uses " + options.checksumAlgorithm());
        }
        ChecksumAlgorithm alg = uploadAlg != null ? uploadAlg : options.checksumAlgorithm();
        BlobWrite w = blobs.newWrite(RecordKind.PART, up.id(), partNumber, limits.maxPartSize(), alg);
        return new BlobBodyWriter<>(w, options.expectedLength(),
                (write, loc) -> commitPart(uploadId, up.id(), partNumber, write, loc));
    }

    /** Step 3 of the write path: publish the durable part, unless the upload is no longer open. */
    private PartInfo commitPart(String uploadId, byte[] id, int partNumber, BlobWrite w, BlobLocation loc) {
        long now = clockMillis.getAsLong();
        ChecksumValue checksum = w.checksum() == null ? null
                : new ChecksumValue(w.checksumAlgorithm(), BodyChecks.encode(w.checksum()));
        PartRecord part = new PartRecord(w.blobId(), w.written(), Etags.of(w.md5()), checksum, now);
        ReentrantLock lock = uploadLocks.forKey(id);
        lock.lock();
        try (MetaBatch batch = blobs.newBatch()) {
            UploadRecord row = readRow(id);
            if (row == null || row.state() != UploadState.ACTIVE) {
                throw noSuchUpload(uploadId); // a late part: its bytes are garbage from now on
            }
            byte[] partKey = Keys.partKey(id, partNumber);
            byte[] old = meta.get(ColumnFamily.PARTS, partKey);
            if (old != null) {
                blobs.dropBlob(batch, PartRecord.decode(old).blobId());
            }
            blobs.addBlob(batch, w.blobId(), loc);
            batch.put(ColumnFamily.PARTS, partKey, part.encode());
            meta.commit(batch);
        } finally {
            lock.unlock();
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
        ActiveUpload up = requireActive(bucket, key, uploadId);
        ReentrantLock lock = uploadLocks.forKey(up.id());
        lock.lock(); // a consistent view: no abort or part commit in between the row and the parts
        try {
            UploadRecord row = readRow(up.id());
            if (row == null || row.state() != UploadState.ACTIVE) {
                throw noSuchUpload(uploadId);
            }
            List<PartInfo> parts = new ArrayList<>();
            boolean truncated = false;
            long from = (long) marker + 1;
            if (from <= UploadLimits.MAX_PART_NUMBER) {
                try (MetaCursor c = meta.scan(ColumnFamily.PARTS, Keys.partKey(up.id(), (int) from),
                        Keys.prefixEnd(up.id()))) {
                    for (; c.valid(); c.next()) {
                        if (parts.size() == max) {
                            truncated = true;
                            break;
                        }
                        int number = Keys.getInt(c.key(), 16);
                        parts.add(toInfo(number, PartRecord.decode(c.value())));
                    }
                }
            }
            int next = parts.isEmpty() ? 0 : parts.get(parts.size() - 1).partNumber();
            return new PartListing(info(bucket, uploadId, row), parts, marker, next, max, truncated);
        } finally {
            lock.unlock();
        }
    }

    /** ListMultipartUploads: open uploads by key, then by upload id (creation order). */
    public UploadListing listUploads(String bucket, ListUploadsQuery q) {
        BucketRecord b = buckets.require(bucket);
        int max = Math.max(0, Math.min(q.maxUploads(), 1000));
        String prefix = q.prefix() == null ? "" : q.prefix();
        byte[] prefixKey = Keys.objectKey(b.id(), prefix);
        byte[] start = prefixKey;
        String keyMarker = q.keyMarker() == null || q.keyMarker().isEmpty() ? null : q.keyMarker();
        if (keyMarker != null) {
            byte[] markerKey = Keys.objectKey(b.id(), keyMarker);
            byte[] idMarker = UploadIds.parse(q.uploadIdMarker());
            byte[] after = idMarker == null
                    ? append(markerKey, (byte) 1) // past every upload of the marker key
                    : append(Keys.uploadKey(b.id(), keyMarker, idMarker), (byte) 0);
            if (Arrays.compareUnsigned(after, start) > 0) {
                start = after;
            }
        }
        byte[] end = Keys.prefixEnd(prefixKey);
        if (max == 0) {
            return new UploadListing(List.of(), List.of(), false, null, null);
        }
        DelimitedScan<UploadInfo> scan = new DelimitedScan<>(b.id(), prefix, q.delimiter(), keyMarker, end);
        try (MetaCursor c = meta.scan(ColumnFamily.UPLOAD_KEYS, start, end)) {
            DelimitedScan.Page<UploadInfo> page = scan.run(c, max, UploadService::keyOf, cur -> {
                byte[] k = cur.key();
                byte[] id = Arrays.copyOfRange(k, k.length - 16, k.length);
                UploadRecord row = readRow(id);
                return info(bucket, UploadIds.format(id), row);
            });
            String nextKey = null;
            String nextId = null;
            if (page.truncated()) {
                nextKey = page.endsWithPrefix() ? page.lastPrefix() : page.lastEntry().key();
                nextId = page.endsWithPrefix() ? null : page.lastEntry().uploadId();
            }
            return new UploadListing(page.entries(), page.prefixes(), page.truncated(), nextKey, nextId);
        }
    }

    private static String keyOf(MetaCursor c) {
        byte[] k = c.key();
        return new String(k, 8, k.length - 8 - 17, StandardCharsets.UTF_8);
    }

    private static byte[] append(byte[] a, byte b) {
        byte[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    /**
     * AbortMultipartUpload: in one atomic batch the upload becomes an ABORTED tombstone and all its
     * parts and their bytes are dropped. Parts still streaming will find the tombstone and be refused.
     */
    public void abort(String bucket, String key, String uploadId) {
        ActiveUpload up = requireActive(bucket, key, uploadId);
        ReentrantLock lock = uploadLocks.forKey(up.id());
        lock.lock();
        try (MetaBatch batch = blobs.newBatch()) {
            UploadRecord row = readRow(up.id());
            if (row == null || row.state() != UploadState.ACTIVE) {
                throw noSuchUpload(uploadId);
            }
            dropParts(batch, up.id(), allParts(up.id()), java.util.Set.of());
            batch.put(ColumnFamily.UPLOADS, up.id(), row.aborted(clockMillis.getAsLong()).encode());
            batch.delete(ColumnFamily.UPLOAD_KEYS, Keys.uploadKey(row.bucketId(), row.key(), up.id()));
            meta.commit(batch);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forgets COMPLETED and ABORTED tombstones that finished before {@code cutoffMillis}. A tombstone
     * must outlive every request that could still be in flight for its upload; after that a missing
     * row answers NoSuchUpload just the same, because upload ids are never reused.
     *
     * @return how many tombstones were removed
     */
    public int purgeTombstones(long cutoffMillis) {
        List<byte[]> expired = new ArrayList<>();
        try (MetaCursor c = meta.scan(ColumnFamily.UPLOADS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                UploadRecord row = UploadRecord.decode(c.value());
                if (row.state() != UploadState.ACTIVE && row.finishedMillis() < cutoffMillis) {
                    expired.add(c.key());
                }
            }
        }
        for (byte[] id : expired) {
            ReentrantLock lock = uploadLocks.forKey(id);
            lock.lock();
            try (MetaBatch batch = meta.newBatch()) {
                batch.delete(ColumnFamily.UPLOADS, id);
                meta.commit(batch);
            } finally {
                lock.unlock();
            }
        }
        return expired.size();
    }

    /** Every part row of an upload, by part number. */
    java.util.TreeMap<Integer, PartRecord> allParts(byte[] id) {
        java.util.TreeMap<Integer, PartRecord> parts = new java.util.TreeMap<>();
        try (MetaCursor c = meta.scanPrefix(ColumnFamily.PARTS, id)) {
            for (; c.valid(); c.next()) {
                parts.put(Keys.getInt(c.key(), 16), PartRecord.decode(c.value()));
            }
        }
        return parts;
    }

    /**
     * Stages the removal of every part row of an upload (one range delete); the blobs of parts not
     * in {@code keep} are dropped too, the others now belong to an object.
     */
    void dropParts(MetaBatch batch, byte[] id, Map<Integer, PartRecord> parts, java.util.Set<Integer> keep) {
        List<Long> garbage = new ArrayList<>();
        for (Map.Entry<Integer, PartRecord> p : parts.entrySet()) {
            if (!keep.contains(p.getKey())) {
                garbage.add(p.getValue().blobId());
            }
        }
        batch.deleteRange(ColumnFamily.PARTS, Keys.partKey(id, 0),
                Keys.partKey(id, UploadLimits.MAX_PART_NUMBER + 1));
        blobs.dropBlobs(batch, garbage);
    }

    MetaStore meta() {
        return meta;
    }

    BlobStore blobs() {
        return blobs;
    }

    StripedLocks uploadLocks() {
        return uploadLocks;
    }

    LongSupplier clock() {
        return clockMillis;
    }

    UploadLimits limits() {
        return limits;
    }
}
