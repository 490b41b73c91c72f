package io.tessera.engine;


/**
 * How to write one part: the checksum algorithm the client announced (null if none; the upload's own
 * algorithm is always computed) and the announced length (-1 if unknown).
 */
public record PartOptions(ChecksumAlgorithm checksumAlgorithm, long expectedLength) {
    public static final PartOptions DEFAULT = new PartOptions(null, -1);
}
