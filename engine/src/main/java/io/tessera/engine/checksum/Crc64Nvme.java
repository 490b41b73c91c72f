package io.tessera.engine.checksum;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.zip.Checksum;

/**
 * CRC-64/NVME, the CRC S3 calls {@code CRC64NVME}: reflected, polynomial 0xad93d23594c93659 (0x9a6c9329ac4bc9b5
 * reflected), initial value and final XOR all ones. The check value of {@code "123456789"} is 0xae8b14860a799888.
 *
 * <p>Table driven, slicing-by-8 over little-endian longs read straight from arrays or from heap and direct
 * {@link ByteBuffer}s. One slicing chain is bound by table-load latency, so long inputs are cut into blocks of three
 * equal lanes hashed side by side and joined with a precomputed shift (see {@link CrcCombine} for the algebra); that
 * roughly doubles throughput.
 *
 * <p>Not thread-safe.
 */
public final class Crc64Nvme implements Checksum {

    /** The reflected polynomial. */
    static final long POLY = 0x9a6c9329ac4bc9b5L;

    /** TABLE[k * 256 + b]: the register after byte b followed by k zero bytes. Flat, so one array serves all. */
    private static final long[] TABLE = byteTables();

    // Lane lengths (multiples of 8): big lanes amortise the join, small ones keep 8 KiB network chunks fast.
    private static final int BIG_LANE = 1024;
    private static final int SMALL_LANE = 128;
    private static final long[] BIG_JOIN = joinTables(BIG_LANE);
    private static final long[] SMALL_JOIN = joinTables(SMALL_LANE);

    private static final VarHandle ARRAY_LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BUFFER_LONGS =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The register, held inverted (before the final XOR) so that updates need not flip it. */
    private long register = -1L;

    /** Creates a checksum of the empty input. */
    public Crc64Nvme() {
    }

    @Override
    public void update(int b) {
        register = TABLE[(int) (register ^ b) & 0xff] ^ (register >>> 8);
    }

    @Override
    public void update(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        long c = register;
        int i = off;
        int end = off + len;
        for (; end - i >= 3 * BIG_LANE; i += 3 * BIG_LANE) {
            c = lanes(c, b, i, BIG_LANE, BIG_JOIN);
        }
        for (; end - i >= 3 * SMALL_LANE; i += 3 * SMALL_LANE) {
            c = lanes(c, b, i, SMALL_LANE, SMALL_JOIN);
        }
        for (; end - i >= Long.BYTES; i += Long.BYTES) {
            c = fold8(c ^ (long) ARRAY_LONGS.get(b, i));
        }
        for (; i < end; i++) {
            c = TABLE[(int) (c ^ b[i]) & 0xff] ^ (c >>> 8);
        }
        register = c;
    }

    /**
     * Updates with the remaining bytes of {@code buffer}, leaving its position at its limit. Heap buffers are read
     * through their array, direct and read-only ones through absolute long reads: never copied.
     */
    @Override
    public void update(ByteBuffer buffer) {
        int pos = buffer.position();
        int limit = buffer.limit();
        if (buffer.hasArray()) {
            update(buffer.array(), buffer.arrayOffset() + pos, limit - pos);
        } else {
            // The same steps as update(byte[], ...), spelled out again so that each loop stays monomorphic.
            long c = register;
            int i = pos;
            for (; limit - i >= 3 * BIG_LANE; i += 3 * BIG_LANE) {
                c = lanes(c, buffer, i, BIG_LANE, BIG_JOIN);
            }
            for (; limit - i >= 3 * SMALL_LANE; i += 3 * SMALL_LANE) {
                c = lanes(c, buffer, i, SMALL_LANE, SMALL_JOIN);
            }
            for (; limit - i >= Long.BYTES; i += Long.BYTES) {
                c = fold8(c ^ (long) BUFFER_LONGS.get(buffer, i));
            }
            for (; i < limit; i++) {
                c = TABLE[(int) (c ^ buffer.get(i)) & 0xff] ^ (c >>> 8);
            }
            register = c;
        }
        buffer.position(limit);
    }

    /** Returns the CRC of the bytes so far; all 64 bits are significant. */
    @Override
    public long getValue() {
        return ~register;
    }

    @Override
    public void reset() {
        register = -1L;
    }

    /**
     * Hashes three adjacent lanes of {@code lane} bytes from {@code i} as independent chains, the first continuing
     * from {@code c} and the others from zero, and returns the register after all of them: reg(c, L0 L1 L2) =
     * reg(c, L0) * x^(16 lane) + reg(0, L1) * x^(8 lane) + reg(0, L2).
     */
    private static long lanes(long c, byte[] b, int i, int lane, long[] join) {
        long c0 = c;
        long c1 = 0;
        long c2 = 0;
        for (int p = i, e = i + lane; p < e; p += Long.BYTES) {
            c0 = fold8(c0 ^ (long) ARRAY_LONGS.get(b, p));
            c1 = fold8(c1 ^ (long) ARRAY_LONGS.get(b, p + lane));
            c2 = fold8(c2 ^ (long) ARRAY_LONGS.get(b, p + 2 * lane));
        }
        return join(join, 256, c0) ^ join(join, 0, c1) ^ c2;
    }

    /** {@link #lanes(long, byte[], int, int, long[])} over a buffer's absolute indices. */
    private static long lanes(long c, ByteBuffer b, int i, int lane, long[] join) {
        long c0 = c;
        long c1 = 0;
        long c2 = 0;
        for (int p = i, e = i + lane; p < e; p += Long.BYTES) {
            c0 = fold8(c0 ^ (long) BUFFER_LONGS.get(b, p));
            c1 = fold8(c1 ^ (long) BUFFER_LONGS.get(b, p + lane));
            c2 = fold8(c2 ^ (long) BUFFER_LONGS.get(b, p + 2 * lane));
        }
        return join(join, 256, c0) ^ join(join, 0, c1) ^ c2;
    }

    /** Folds eight bytes already XORed into the register: the first byte has seven more to pass, so TABLE[7]. */
    private static long fold8(long a) {
        long[] t = TABLE;
        return t[7 * 256 + ((int) a & 0xff)]
                ^ t[6 * 256 + ((int) (a >>> 8) & 0xff)]
                ^ t[5 * 256 + ((int) (a >>> 16) & 0xff)]
                ^ t[4 * 256 + ((int) (a >>> 24) & 0xff)]
                ^ t[3 * 256 + ((int) (a >>> 32) & 0xff)]
                ^ t[2 * 256 + ((int) (a >>> 40) & 0xff)]
                ^ t[256 + ((int) (a >>> 48) & 0xff)]
                ^ t[(int) (a >>> 56)];
    }

    /** Multiplies {@code r} by the constant tabulated at {@code base} in {@code join}, one nibble at a time. */
    private static long join(long[] join, int base, long r) {
        long p = 0;
        for (int n = 0; n < 16; n++) {
            p ^= join[base + n * 16 + ((int) (r >>> (4 * n)) & 0xf)];
        }
        return p;
    }

    private static long[] byteTables() {
        long[] t = new long[8 * 256];
        for (int b = 0; b < 256; b++) {
            long c = b;
            for (int bit = 0; bit < 8; bit++) {
                c = (c >>> 1) ^ (POLY & -(c & 1));
            }
            t[b] = c;
        }
        for (int k = 1; k < 8; k++) {
            for (int b = 0; b < 256; b++) {
                long prev = t[(k - 1) * 256 + b];
                t[k * 256 + b] = (prev >>> 8) ^ t[(int) prev & 0xff];
            }
        }
        return t;
    }

    /**
     * Tabulates multiplication by x^(8 lane) (entries 0-255) and x^(16 lane) (256-511) per nibble: 4 KiB that fits
     * beside the byte tables in L1, where a bit-serial multiply would cost more than a small lane's hashing.
     */
    private static long[] joinTables(int lane) {
        CrcSpec spec = CrcSpec.CRC64NVME;
        long[] t = new long[512];
        long[] constants = {spec.zeroBytesOperator(lane), spec.zeroBytesOperator(2L * lane)};
        for (int half = 0; half < 2; half++) {
            for (int n = 0; n < 16; n++) {
                for (int v = 0; v < 16; v++) {
                    t[half * 256 + n * 16 + v] = spec.multiply(constants[half], (long) v << (4 * n));
                }
            }
        }
        return t;
    }
}
