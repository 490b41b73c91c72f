package io.tessera.engine;

import java.time.Instant;
import java.util.List;

/**
 * A committed object. {@code parts} is empty for an object written in one piece and lists the parts
 * of a completed multipart upload in order. {@code checksum} may be null. {@code versionId} is the
 * version's id ({@code null} for the null version) in a bucket that has had versioning, and Java null
 * otherwise, and after a write that made the null version (S3 shows no version id then).
 */
public record ObjectInfo(String bucket, String key, long size, String etag, Instant lastModified,
                         ObjectMetadata metadata, String owner, ObjectChecksum checksum, List<ObjectPart> parts,
                         String versionId) {
    public ObjectInfo {
        parts = List.copyOf(parts);
    }

    /** An object without a version id. */
    public ObjectInfo(String bucket, String key, long size, String etag, Instant lastModified, ObjectMetadata metadata,
                      String owner, ObjectChecksum checksum, List<ObjectPart> parts) {
        this(bucket, key, size, etag, lastModified, metadata, owner, checksum, parts, null);
    }

    public ObjectInfo withVersionId(String id) {
        return new ObjectInfo(bucket, key, size, etag, lastModified, metadata, owner, checksum, parts, id);
    }

    public boolean isMultipart() {
        return !parts.isEmpty();
    }
}
