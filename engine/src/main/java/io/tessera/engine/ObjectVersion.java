package io.tessera.engine;

import java.time.Instant;

/**
 * One entry of ListObjectVersions: an object version or a delete marker ({@code size} 0,
 * {@code etag} and {@code checksum} null). {@code latest} is true for the key's current entry.
 */
public record ObjectVersion(String key, String versionId, boolean latest, boolean deleteMarker, long size,
                            String etag, Instant lastModified, String owner, ObjectChecksum checksum) {
}
