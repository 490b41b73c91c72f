package io.tessera.engine.checksum;

/** Raw CRC digests are the CRC value's bytes, most significant first; these convert between the two forms. */
final class BigEndian {

    private BigEndian() {
    }

    /** Returns the low {@code length} bytes of {@code value}, most significant first. */
    static byte[] toBytes(long value, int length) {
        byte[] out = new byte[length];
        for (int i = length - 1; i >= 0; i--) {
            out[i] = (byte) value;
            value >>>= 8;
        }
        return out;
    }

    /** Reads up to eight bytes, most significant first, as an unsigned value. */
    static long toLong(byte[] bytes) {
        if (bytes.length > Long.BYTES) {
            throw new IllegalArgumentException("more than 8 bytes: " + bytes.length);
        }
        long value = 0;
        for (byte b : bytes) {
            value = (value << 8) | (b & 0xff);
        }
        return value;
    }
}
