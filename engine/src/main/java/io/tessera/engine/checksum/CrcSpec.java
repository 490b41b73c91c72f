package io.tessera.engine.checksum;

import io.tessera.engine.ChecksumAlgorithm;

/**
 * The GF(2) arithmetic behind CRC combination, for the reflected CRCs S3 uses (all three have initial value equal
 * to the final XOR, all ones, which is what makes {@code crc(A||B) = crc(A) * x^(8 len B) + crc(B)} hold).
 *
 * <p>A reflected CRC register of width w holds a polynomial of degree below w with x^0 in bit w-1 and x^(w-1) in
 * bit 0, so "multiply by x" is a right shift. This is zlib's multmodp/x2nmodp, widened to any w up to 64.
 */
enum CrcSpec {
    CRC32(32, 0xEDB88320L),
    CRC32C(32, 0x82F63B78L),
    CRC64NVME(64, Crc64Nvme.POLY);

    /** Exponents reach 8 * (2^63 - 1) < 2^66, so 66 squarings cover every non-negative long length. */
    private static final int POWERS = 66;

    final int width;
    final long poly;
    /** Mask of the register's width bits. */
    final long mask;
    /** The register value of the polynomial 1 (x^0). */
    private final long one;
    /** X2N[k] = x^(2^k) mod P. */
    private final long[] x2n = new long[POWERS];

    CrcSpec(int width, long poly) {
        this.width = width;
        this.poly = poly;
        this.mask = width == 64 ? -1L : (1L << width) - 1;
        this.one = 1L << (width - 1);
        x2n[0] = one >>> 1;
        for (int k = 1; k < POWERS; k++) {
            x2n[k] = multiply(x2n[k - 1], x2n[k - 1]);
        }
    }

    static CrcSpec of(ChecksumAlgorithm algorithm) {
        switch (algorithm) {
            case CRC32:
                return CRC32;
            case CRC32C:
                return CRC32C;
            case CRC64NVME:
                return CRC64NVME;
            default:
                throw new IllegalArgumentException(algorithm + " is not a CRC");
        }
    }

    /** Returns a * b mod P, both operands and the result in register form. Branch-free, width steps. */
    long multiply(long a, long b) {
        long product = 0;
        for (int i = 64 - width; i < 64; i++) {
            // (a << i) >> 63 is all ones when a's bit for x^(i - 64 + width) is set.
            product ^= b & ((a << i) >> 63);
            b = (b >>> 1) ^ (poly & -(b & 1));
        }
        return product;
    }

    /** Returns x^(8 * bytes) mod P: the operator that appends {@code bytes} zero bytes to a register. */
    long zeroBytesOperator(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative length: " + bytes);
        }
        long p = one;
        // bytes * 8 = bytes << 3: walk the bits of bytes, starting at power 2^3.
        for (int k = 3; bytes != 0; k++, bytes >>>= 1) {
            if ((bytes & 1) != 0) {
                p = multiply(x2n[k], p);
            }
        }
        return p;
    }
}
