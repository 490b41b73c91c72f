package io.tessera.server.xml;

import java.time.Instant;
import java.util.Objects;

/**
 * CopyObject response: {@code ETag} (quoted), {@code LastModified}, {@code ChecksumType}?, the {@link Checksums}
 * elements.
 *
 * @param etag ETag of the new object
 * @param lastModified its modification time
 * @param checksumType {@code COMPOSITE} or {@code FULL_OBJECT}, or null
 * @param checksums its checksums; null means none
 */
public record CopyObjectResult(String etag, Instant lastModified, String checksumType, Checksums checksums)
        implements S3XmlDocument {
    public CopyObjectResult {
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
        checksums = checksums == null ? Checksums.NONE : checksums;
    }

    @Override
    public String rootElement() {
        return "CopyObjectResult";
    }
}
