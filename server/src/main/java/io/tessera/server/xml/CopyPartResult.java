package io.tessera.server.xml;

import java.time.Instant;
import java.util.Objects;

/**
 * UploadPartCopy response: {@code ETag} (quoted), {@code LastModified}, the {@link Checksums} elements.
 *
 * @param etag ETag of the new part
 * @param lastModified its time
 * @param checksums the part's checksums; null means none
 */
public record CopyPartResult(String etag, Instant lastModified, Checksums checksums) implements S3XmlDocument {
    public CopyPartResult {
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
        checksums = checksums == null ? Checksums.NONE : checksums;
    }

    @Override
    public String rootElement() {
        return "CopyPartResult";
    }
}
