package io.tessera.engine.checksum;

import io.tessera.engine.ChecksumType;

import io.tessera.engine.ChecksumAlgorithm;

import java.util.List;
import java.util.Objects;

/**
 * Derives a multipart object's checksum from its parts' raw digests at CompleteMultipartUpload, without reading the
 * parts' bytes again. All methods are pure and thread-safe.
 */
public final class MultipartChecksums {

    private MultipartChecksums() {
    }

    /**
     * Returns the COMPOSITE checksum: the digest, with the same algorithm, of the parts' raw digests concatenated in
     * part order. The caller renders it as base64 followed by {@code -N}, N being the part count.
     *
     * @param algorithm an algorithm that {@linkplain ChecksumAlgorithm#supports supports} COMPOSITE (not CRC64NVME)
     * @param partDigests the raw digest of each part, in part order
     * @throws IllegalArgumentException if the algorithm has no composite form or a digest has the wrong length
     */
    public static byte[] composite(ChecksumAlgorithm algorithm, List<byte[]> partDigests) {
        require(algorithm, ChecksumType.COMPOSITE);
        Hasher hasher = algorithm.newHasher();
        for (byte[] digest : partDigests) {
            checkLength(algorithm, digest);
            hasher.update(digest, 0, digest.length);
        }
        return hasher.digest();
    }

    /**
     * Returns the FULL_OBJECT checksum: the CRC of the whole object, combined from the parts' CRCs in part order
     * with {@link CrcCombine}. No parts give the CRC of the empty object.
     *
     * @param algorithm CRC32, CRC32C or CRC64NVME
     * @param partDigests the raw (big-endian) CRC of each part, in part order
     * @param partLengths each part's length in bytes, in the same order
     * @throws IllegalArgumentException if the algorithm is not a CRC, the lists differ in size, a digest has the
     *         wrong length or a length is negative
     */
    public static byte[] fullObject(ChecksumAlgorithm algorithm, List<byte[]> partDigests, List<Long> partLengths) {
        require(algorithm, ChecksumType.FULL_OBJECT);
        if (partDigests.size() != partLengths.size()) {
            throw new IllegalArgumentException(
                    partDigests.size() + " part digests but " + partLengths.size() + " part lengths");
        }
        // Every S3 CRC starts and ends with all ones, so the CRC of no bytes is 0 and combining onto it is exact.
        long crc = 0;
        for (int i = 0; i < partDigests.size(); i++) {
            byte[] digest = partDigests.get(i);
            checkLength(algorithm, digest);
            crc = CrcCombine.combine(algorithm, crc, BigEndian.toLong(digest), partLengths.get(i));
        }
        return BigEndian.toBytes(crc, algorithm.digestLength());
    }

    /** Returns the raw digest of {@code data}: a convenience over {@link ChecksumAlgorithm#newHasher()}. */
    public static byte[] digest(ChecksumAlgorithm algorithm, byte[] data) {
        Hasher hasher = algorithm.newHasher();
        hasher.update(data, 0, data.length);
        return hasher.digest();
    }

    private static void require(ChecksumAlgorithm algorithm, ChecksumType type) {
        if (!algorithm.supports(type)) {
            throw new IllegalArgumentException(algorithm + " has no " + type + " checksum");
        }
    }

    private static void checkLength(ChecksumAlgorithm algorithm, byte[] digest) {
        Objects.requireNonNull(digest, "part digest");
        if (digest.length != algorithm.digestLength()) {
            throw new IllegalArgumentException(
                    algorithm + " digests are " + algorithm.digestLength() + " bytes, not " + digest.length);
        }
    }
}
