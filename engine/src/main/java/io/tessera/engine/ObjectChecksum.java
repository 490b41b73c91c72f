package io.tessera.engine;


/**
 * The checksum stored with an object. For a COMPOSITE multipart checksum {@code partsCount} is the
 * number of parts (S3 renders it as a {@code -N} suffix); it is 0 for a direct whole-object value.
 */
public record ObjectChecksum(ChecksumAlgorithm algorithm, ChecksumType type, String base64, int partsCount) {
    /** The value as S3 prints it: composite values carry their {@code -N} suffix. */
    public String display() {
        return partsCount > 0 && type == ChecksumType.COMPOSITE ? base64 + "-" + partsCount : base64;
    }
}
