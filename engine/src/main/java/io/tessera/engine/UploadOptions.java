package io.tessera.engine;

import io.tessera.engine.checksum.ChecksumAlgorithm;
import io.tessera.engine.checksum.ChecksumType;

/** What CreateMultipartUpload fixes for the final object. Algorithm and type may be null. */
public record UploadOptions(ObjectMetadata metadata, String owner, ChecksumAlgorithm checksumAlgorithm,
                            ChecksumType checksumType) {
    public static UploadOptions of(ObjectMetadata metadata, String owner) {
        return new UploadOptions(metadata, owner, null, null);
    }
}
