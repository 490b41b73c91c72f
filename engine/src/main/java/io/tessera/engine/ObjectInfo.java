package io.tessera.engine;

import java.time.Instant;
import java.util.List;

/**
 * A committed object. {@code parts} is empty for an object written in one piece and lists the parts
 * of a completed multipart upload in order. {@code checksum} may be null.
 */
public record ObjectInfo(String bucket, String key, long size, String etag, Instant lastModified,
                         ObjectMetadata metadata, String owner, ObjectChecksum checksum, List<ObjectPart> parts) {
    public ObjectInfo {
        parts = List.copyOf(parts);
    }

    public boolean isMultipart() {
        return !parts.isEmpty();
    }
}
