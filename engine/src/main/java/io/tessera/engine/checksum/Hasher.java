package io.tessera.engine.checksum;

import io.tessera.engine.ChecksumAlgorithm;

import java.nio.ByteBuffer;

/**
 * An incremental checksum computation for one {@link ChecksumAlgorithm}, fed as the bytes stream past.
 *
 * <p>Hashers are <b>not thread-safe</b>: confine each to the thread (or the serialised callbacks) writing one
 * stream. Obtain them from {@link ChecksumAlgorithm#newHasher()}.
 */
public interface Hasher {

    /**
     * Hashes the remaining bytes of {@code src} and advances its position to its limit, like the JDK's
     * {@code Checksum.update(ByteBuffer)}. Heap, direct and read-only buffers are all accepted and read in place.
     */
    void update(ByteBuffer src);

    /**
     * Hashes {@code len} bytes of {@code b} from {@code off}.
     *
     * @throws IndexOutOfBoundsException if the range is not inside {@code b}
     */
    void update(byte[] b, int off, int len);

    /**
     * Returns the raw digest of everything hashed so far, big-endian ({@link ChecksumAlgorithm#digestLength()}
     * bytes: a CRC32 is the four bytes of its value, most significant first), and resets this hasher to the empty
     * input, like {@link java.security.MessageDigest#digest()}.
     */
    byte[] digest();
}
