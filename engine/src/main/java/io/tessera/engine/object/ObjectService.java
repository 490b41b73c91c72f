package io.tessera.engine.object;

import io.tessera.engine.BodyWriter;
import io.tessera.engine.DeleteOutcome;
import io.tessera.engine.ListVersionsQuery;
import io.tessera.engine.ObjectVersion;
import io.tessera.engine.VersionIds;
import io.tessera.engine.VersionListing;
import io.tessera.engine.VersioningState;
import io.tessera.engine.meta.ObjectVersionTable;
import java.time.Instant;
import java.util.ArrayList;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.ListObjectsQuery;
import io.tessera.engine.ObjectChecksum;
import io.tessera.engine.ObjectContent;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectListing;
import io.tessera.engine.Precondition;
import io.tessera.engine.PutOptions;
import io.tessera.engine.ReadRange;
import io.tessera.engine.blob.BlobBodyWriter;
import io.tessera.engine.blob.BlobIndex;
import io.tessera.engine.blob.BlobStore;
import io.tessera.engine.blob.BlobWrite;
import io.tessera.engine.blob.BodyChecks;
import io.tessera.engine.blob.PendingBlob;
import io.tessera.engine.bucket.Buckets;
import io.tessera.engine.ChecksumType;
import io.tessera.engine.meta.BucketRecord;
import io.tessera.engine.command.Command;
import io.tessera.engine.command.CommandLog;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.meta.ObjectRecord;
import io.tessera.engine.segment.BlobPieces;
import io.tessera.engine.segment.RecordKind;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Objects written in one piece, reads of any object, deletes and listings: what is decided before a
 * command is logged (the blob, its checksums, the time), and the reads. A write streams into a blob
 * first and becomes visible when its command applies, in one batch that swaps the key's row, so
 * readers see the old object or the new one, never a mix.
 *
 * <p>Thread-safe.
 */
public final class ObjectService {
    private final MetaStore meta;
    private final BlobStore blobs;
    private final BlobIndex index;
    private final Buckets buckets;
    private final ObjectRows rows;
    private final CommandLog log;
    private final LongSupplier clockMillis;
    private final long maxObjectSize;

    public ObjectService(MetaStore meta, BlobStore blobs, Buckets buckets, ObjectRows rows, CommandLog log,
                         LongSupplier clockMillis, long maxObjectSize) {
        this.meta = meta;
        this.index = blobs.index();
        this.blobs = blobs;
        this.buckets = buckets;
        this.rows = rows;
        this.log = log;
        this.clockMillis = clockMillis;
        this.maxObjectSize = maxObjectSize;
    }

    /**
     * Starts a single-shot object write of a large body (or one of unknown length): collected in pieces, each
     * appended through a write lane held only for that append.
     */
    public BodyWriter<ObjectInfo> beginPut(String bucket, String key, PutOptions options) {
        BucketRecord b = buckets.require(bucket);
        boolean heldAtStart = heldAtStart(b, key, options);
        BlobWrite w = blobs.newWrite(RecordKind.OBJECT, null, 0, options.expectedLength(), maxObjectSize,
                options.checksumAlgorithm());
        return new BlobBodyWriter<>(w, options.expectedLength(),
                (write, pieces) -> commitObject(b, key, options, heldAtStart, write, pieces));
    }

    /**
     * Starts a single-shot object write of a small body of announced length, without a write lane: the body
     * is collected in memory and its record appended to the segment small bodies share (group commit).
     */
    public BodyWriter<ObjectInfo> beginSmallPut(String bucket, String key, PutOptions options) {
        BucketRecord b = buckets.require(bucket);
        boolean heldAtStart = heldAtStart(b, key, options);
        PendingBlob w = blobs.newBufferedWrite(RecordKind.OBJECT, null, 0, options.expectedLength(),
                options.checksumAlgorithm());
        return new BlobBodyWriter<>(w, options.expectedLength(),
                (write, pieces) -> commitObject(b, key, options, heldAtStart, write, pieces));
    }

    /**
     * Checks the announced size, and tells whether an If-None-Match: * write found the key held at its
     * start: it must tell a key emptied during the write (409) from one that was empty.
     */
    private boolean heldAtStart(BucketRecord b, String key, PutOptions options) {
        if (options.expectedLength() > maxObjectSize) {
            throw new EngineException(ErrorCode.ENTITY_TOO_LARGE,
                    "object of " + options.expectedLength() + " bytes exceeds the maximum of " + maxObjectSize);
        }
        return options.precondition() != null && options.precondition().requiresAbsence()
                && rows.get(b.id(), key) != null;
    }

    /** Step 3 of the write path: the durable blob becomes the key's object when its command applies. */
    private ObjectInfo commitObject(BucketRecord b, String key, PutOptions options, boolean heldAtStart,
                                    PendingBlob w, BlobPieces pieces) {
        String etag = Etags.of(w.md5());
        ObjectChecksum checksum = w.checksum() == null ? null
                : new ObjectChecksum(w.checksumAlgorithm(), ChecksumType.FULL_OBJECT, BodyChecks.encode(w.checksum()), 0);
        ObjectRecord row = new ObjectRecord(w.written(), etag, clockMillis.getAsLong(), options.metadata().entries(),
                options.owner(), checksum, List.of(new ObjectRecord.Extent(w.blobId(), w.written(), 0, etag, null)));
        index.staged(w.blobId(), pieces, w.md5());
        return log.submit(new Command.PutObject(b.name(), b.id(), key, row, options.precondition(), heldAtStart,
                VersionStamps.newSuffix()));
    }

    /** What a write answers: the new version's id in an Enabled bucket, no id otherwise. */
    public static ObjectInfo writtenInfo(String bucket, String key, ObjectRecord stored, VersioningState state) {
        ObjectInfo info = ObjectRows.info(bucket, key, stored);
        return state == VersioningState.ENABLED ? info.withVersionId(stored.versionId()) : info;
    }

    /** An object's current version ({@code versionId} null) or the version named. */
    public ObjectInfo head(String bucket, String key, String versionId) {
        BucketRecord b = buckets.require(bucket);
        checkVersionId(versionId);
        return ObjectRows.info(bucket, key, ObjectRows.resolve(meta.tables(), b.id(), bucket, key, versionId),
                versioned(b));
    }

    private static boolean versioned(BucketRecord b) {
        return b.versioning() != VersioningState.UNVERSIONED;
    }

    private static void checkVersionId(String versionId) {
        if (versionId != null && !VersionIds.isWellFormed(versionId)) {
            throw new EngineException(ErrorCode.INVALID_ARGUMENT, "Invalid version id specified");
        }
    }

    /**
     * Opens the bytes of an object, or of a range or part of it: the row and the places of its blobs
     * are read at one instant and their segments pinned before anything can move or retire them, so
     * the content is one committed version whatever writers and compaction do meanwhile.
     */
    public ObjectContent get(String bucket, String key, String versionId, ReadRange range) {
        BucketRecord b = buckets.require(bucket);
        checkVersionId(versionId);
        return index.read(view -> {
            ObjectRecord r = ObjectRows.resolve(view.tables(), b.id(), bucket, key, versionId);
            long[] span = resolve(r, range);
            return ObjectContentReader.open(view, ObjectRows.info(bucket, key, r, versioned(b)), r.extents(),
                    span[0], span[1]);
        });
    }

    /** {first byte, length} of what a range selects; INVALID_RANGE / INVALID_PART when it cannot. */
    static long[] resolve(ObjectRecord r, ReadRange range) {
        long size = r.size();
        if (range instanceof ReadRange.All) {
            return new long[] {0, size};
        }
        if (range instanceof ReadRange.Bytes b) {
            if (b.first() >= size || b.first() < 0) {
                throw new EngineException(ErrorCode.INVALID_RANGE, "range starts at or after the end of the object");
            }
            long last = b.last() < 0 ? size - 1 : Math.min(b.last(), size - 1);
            if (last < b.first()) {
                throw new EngineException(ErrorCode.INVALID_RANGE, "range ends before it starts");
            }
            return new long[] {b.first(), last - b.first() + 1};
        }
        if (range instanceof ReadRange.Suffix s) {
            if (s.length() <= 0 || size == 0) {
                throw new EngineException(ErrorCode.INVALID_RANGE, "empty suffix range");
            }
            long n = Math.min(s.length(), size);
            return new long[] {size - n, n};
        }
        int part = ((ReadRange.Part) range).partNumber();
        if (!r.multipart()) {
            if (part == 1) {
                return new long[] {0, size};
            }
            throw new EngineException(ErrorCode.INVALID_PART, "object has no part " + part);
        }
        long pos = 0;
        for (ObjectRecord.Extent e : r.extents()) {
            if (e.partNumber() == part) {
                return new long[] {pos, e.size()};
            }
            pos += e.size();
        }
        throw new EngineException(ErrorCode.INVALID_PART, "object has no part " + part);
    }

    /**
     * Sets (or, with a null value, removes) one metadata entry of the key's current object, leaving its
     * bytes, ETag, size and last-modified time as they are; NO_SUCH_KEY when the key holds no object.
     */
    public ObjectInfo setMetadataEntry(String bucket, String key, String name, String value) {
        BucketRecord b = buckets.require(bucket);
        return log.submit(new Command.SetMetadataEntry(bucket, b.id(), key, name, value));
    }

    /**
     * Removes an object if {@code condition} holds for it, checked when the delete applies; absent keys
     * are fine unless the condition needs an object (S3 answers 204 either way).
     */
    public DeleteOutcome delete(String bucket, String key, Precondition condition) {
        BucketRecord b = buckets.require(bucket);
        return log.submit(new Command.DeleteObject(bucket, b.id(), key, condition, clockMillis.getAsLong(),
                VersionStamps.newSuffix()));
    }

    /**
     * Removes one version for good ({@code null}: the null version); the next newest becomes current
     * if it was. A version that does not exist is no error (S3 answers 204).
     */
    public DeleteOutcome deleteVersion(String bucket, String key, String versionId) {
        checkVersionId(versionId);
        BucketRecord b = buckets.require(bucket);
        return log.submit(new Command.DeleteVersion(bucket, b.id(), key, versionId));
    }

    /** Sets a bucket's versioning: Enabled or Suspended, never back to unversioned. */
    public void setVersioning(String bucket, VersioningState state) {
        if (state == VersioningState.UNVERSIONED) {
            throw new EngineException(ErrorCode.INVALID_ARGUMENT, "versioning cannot be turned off, only suspended");
        }
        log.submit(new Command.SetVersioning(bucket, state));
    }

    /** ListObjectVersions; a never-versioned bucket lists each object once as its null version. */
    public VersionListing listVersions(String bucket, ListVersionsQuery q) {
        BucketRecord b = buckets.require(bucket);
        String versionMarker = q.versionIdMarker();
        if (versionMarker != null && (q.keyMarker() == null || !VersionIds.isWellFormed(versionMarker))) {
            throw new EngineException(ErrorCode.INVALID_ARGUMENT, q.keyMarker() == null
                    ? "A version-id marker cannot be specified without a key marker." : "Invalid version id specified");
        }
        ObjectVersionTable.Page page = meta.tables().versions().list(b.id(), q.prefix(), q.delimiter(), q.keyMarker(),
                versionMarker, q.maxKeys());
        List<ObjectVersion> out = new ArrayList<>(page.entries().size());
        for (ObjectVersionTable.Listed e : page.entries()) {
            ObjectRecord r = e.row();
            out.add(new ObjectVersion(e.key(), ObjectRows.idOf(r), e.latest(), r.deleteMarker(), r.size(),
                    r.deleteMarker() ? null : r.etag(), Instant.ofEpochMilli(r.lastModifiedMillis()), r.owner(),
                    r.checksum()));
        }
        String nextKey = null;
        String nextVersion = null;
        if (page.truncated()) {
            // the last thing listed: an entry, or a common prefix when that came last
            String lastPrefix = page.prefixes().isEmpty() ? null : page.prefixes().get(page.prefixes().size() - 1);
            ObjectVersion lastEntry = out.isEmpty() ? null : out.get(out.size() - 1);
            if (lastEntry != null && (lastPrefix == null || io.tessera.engine.meta.Utf8.compare(lastEntry.key(),
                    lastPrefix) > 0)) {
                nextKey = lastEntry.key();
                nextVersion = lastEntry.versionId();
            } else {
                nextKey = lastPrefix;
            }
        }
        return new VersionListing(out, page.prefixes(), page.truncated(), nextKey, nextVersion);
    }

    public ObjectListing list(String bucket, ListObjectsQuery query) {
        BucketRecord b = buckets.require(bucket);
        return ObjectLister.list(meta.tables().objects(), b, query);
    }
}
