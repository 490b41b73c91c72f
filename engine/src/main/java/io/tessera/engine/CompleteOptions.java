package io.tessera.engine;

/**
 * Extra checks of CompleteMultipartUpload: a precondition on the key, the whole-object checksum the
 * client expects (null if none), the expected total size (-1 if none) and the checksum type the client
 * states (null if none; BAD_DIGEST when the upload was created with another).
 */
public record CompleteOptions(Precondition precondition, ObjectChecksum expectedChecksum, long expectedSize,
                              ChecksumType expectedType) {
    public static final CompleteOptions NONE = new CompleteOptions(Precondition.NONE, null, -1, null);

    public CompleteOptions(Precondition precondition, ObjectChecksum expectedChecksum, long expectedSize) {
        this(precondition, expectedChecksum, expectedSize, null);
    }
}
