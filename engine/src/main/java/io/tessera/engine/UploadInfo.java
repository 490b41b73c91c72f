package io.tessera.engine;

import java.time.Instant;

/**
 * An open multipart upload and what the final object will carry. The checksum algorithm and type are
 * null when the upload was created without one.
 */
public record UploadInfo(String bucket, String key, String uploadId, Instant initiated, String owner,
                         ObjectMetadata metadata, ChecksumAlgorithm checksumAlgorithm, ChecksumType checksumType) {
}
