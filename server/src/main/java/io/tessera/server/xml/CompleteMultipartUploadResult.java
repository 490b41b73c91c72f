package io.tessera.server.xml;

import java.util.Objects;

/**
 * CompleteMultipartUpload response: {@code Location}?, {@code Bucket}, {@code Key}, {@code ETag} (quoted), the
 * {@link Checksums} elements, {@code ChecksumType}?.
 *
 * @param location URL of the new object, or null
 * @param bucket bucket name
 * @param key object key
 * @param etag the multipart ETag ({@code hex-N}), quoted or not
 * @param checksums whole-object checksums; null means none
 * @param checksumType {@code COMPOSITE} or {@code FULL_OBJECT}, or null
 */
public record CompleteMultipartUploadResult(String location, String bucket, String key, String etag,
        Checksums checksums, String checksumType) implements S3XmlDocument {
    public CompleteMultipartUploadResult {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(etag, "etag");
        checksums = checksums == null ? Checksums.NONE : checksums;
    }

    @Override
    public String rootElement() {
        return "CompleteMultipartUploadResult";
    }
}
