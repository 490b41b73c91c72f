package io.tessera.server.xml;

import java.util.Objects;

/**
 * CreateMultipartUpload response: {@code Bucket}, {@code Key}, {@code UploadId}.
 *
 * @param bucket bucket name
 * @param key object key
 * @param uploadId the new upload id
 */
public record InitiateMultipartUploadResult(String bucket, String key, String uploadId) implements S3XmlDocument {
    public InitiateMultipartUploadResult {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(uploadId, "uploadId");
    }

    @Override
    public String rootElement() {
        return "InitiateMultipartUploadResult";
    }
}
