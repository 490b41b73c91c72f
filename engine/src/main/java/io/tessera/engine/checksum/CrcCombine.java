package io.tessera.engine.checksum;

import io.tessera.engine.ChecksumAlgorithm;

/**
 * Combines CRCs of adjacent byte ranges without the bytes: given crc(A), crc(B) and the length of B, returns
 * crc(A||B). This is how a FULL_OBJECT checksum is derived from the parts' CRCs at CompleteMultipartUpload.
 *
 * <p>It generalises zlib's {@code crc32_combine} (multiplication by x^(8 len) in GF(2)[x] mod P, with precomputed
 * x^(2^k)) to CRC32, CRC32C and CRC64NVME. Cost is O(log len) multiplications of O(width) steps each. Thread-safe.
 */
public final class CrcCombine {

    private CrcCombine() {
    }

    /**
     * Returns crc(A||B).
     *
     * @param algorithm CRC32, CRC32C or CRC64NVME
     * @param crc1 crc(A) as an unsigned value; for the 32-bit CRCs only the low 32 bits are read
     * @param crc2 crc(B), likewise
     * @param len2 the length of B in bytes, any non-negative long (parts of 5 GiB and more are fine)
     * @return crc(A||B), as an unsigned value of the CRC's width (the high 32 bits are zero for the 32-bit CRCs)
     * @throws IllegalArgumentException if the algorithm is not a CRC or {@code len2} is negative
     */
    public static long combine(ChecksumAlgorithm algorithm, long crc1, long crc2, long len2) {
        CrcSpec spec = CrcSpec.of(algorithm);
        long shifted = spec.multiply(spec.zeroBytesOperator(len2), crc1 & spec.mask);
        return (shifted ^ crc2) & spec.mask;
    }
}
