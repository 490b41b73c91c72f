package io.tessera.engine;

/**
 * Extra checks of CompleteMultipartUpload: a precondition on the key, the whole-object checksum the
 * client expects (null if none) and the expected total size (-1 if none).
 */
public record CompleteOptions(Precondition precondition, ObjectChecksum expectedChecksum, long expectedSize) {
    public static final CompleteOptions NONE = new CompleteOptions(Precondition.NONE, null, -1);
}
