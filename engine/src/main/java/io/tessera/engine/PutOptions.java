package io.tessera.engine;


/**
 * How to write a single-shot object (PutObject, CopyObject): metadata and owner to store, an optional
 * checksum algorithm to compute while streaming, the announced length (-1 if unknown) and a
 * precondition.
 */
public record PutOptions(ObjectMetadata metadata, String owner, ChecksumAlgorithm checksumAlgorithm,
                         long expectedLength, Precondition precondition) {
    public static PutOptions of(ObjectMetadata metadata, String owner) {
        return new PutOptions(metadata, owner, null, -1, Precondition.NONE);
    }

    public PutOptions withChecksum(ChecksumAlgorithm algorithm) {
        return new PutOptions(metadata, owner, algorithm, expectedLength, precondition);
    }

    public PutOptions withExpectedLength(long length) {
        return new PutOptions(metadata, owner, checksumAlgorithm, length, precondition);
    }

    public PutOptions withPrecondition(Precondition condition) {
        return new PutOptions(metadata, owner, checksumAlgorithm, expectedLength, condition);
    }
}
