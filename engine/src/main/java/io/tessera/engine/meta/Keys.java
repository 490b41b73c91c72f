package io.tessera.engine.meta;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Big-endian key encodings: fixed-width numbers sort numerically, composite keys sort by their parts. */
final class Keys {
    private Keys() {
    }

    public static byte[] u64(long v) {
        byte[] b = new byte[8];
        putLong(b, 0, v);
        return b;
    }

    /** bucketId ‖ key: the objects of one bucket form a contiguous, key-ordered range. */
    public static byte[] objectKey(long bucketId, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[8 + k.length];
        putLong(out, 0, bucketId);
        System.arraycopy(k, 0, out, 8, k.length);
        return out;
    }

    /** bucketId ‖ key ‖ 0x00 ‖ uploadId: uploads by key, then by (time-ordered) upload id. */
    public static byte[] uploadKey(long bucketId, String key, byte[] uploadId) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[8 + k.length + 1 + uploadId.length];
        putLong(out, 0, bucketId);
        System.arraycopy(k, 0, out, 8, k.length);
        System.arraycopy(uploadId, 0, out, 9 + k.length, uploadId.length);
        return out;
    }

    public static byte[] partKey(byte[] uploadId, int partNumber) {
        byte[] out = Arrays.copyOf(uploadId, uploadId.length + 4);
        putInt(out, uploadId.length, partNumber);
        return out;
    }

    /** The smallest key that is greater than every key starting with {@code prefix}, or null if none. */
    public static byte[] prefixEnd(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return null;
    }

    public static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    public static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    public static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    public static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    public static int getInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }
}
