package io.tessera.engine;


/** What CreateMultipartUpload fixes for the final object. Algorithm and type may be null. */
public record UploadOptions(ObjectMetadata metadata, String owner, ChecksumAlgorithm checksumAlgorithm,
                            ChecksumType checksumType) {
    public static UploadOptions of(ObjectMetadata metadata, String owner) {
        return new UploadOptions(metadata, owner, null, null);
    }
}
