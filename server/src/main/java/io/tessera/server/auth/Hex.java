package io.tessera.server.auth;

import java.nio.charset.StandardCharsets;

/** Lower-case hex encoding and decoding without intermediate strings. */
final class Hex {
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Hex() {
    }

    /** Lower-case hex of {@code bytes}. */
    static String encode(byte[] bytes) {
        byte[] out = new byte[bytes.length * 2];
        encodeInto(bytes, out);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /** Writes the lower-case hex of {@code src} into {@code dst[0 .. 2 * src.length)}. */
    static void encodeInto(byte[] src, byte[] dst) {
        for (int i = 0; i < src.length; i++) {
            dst[2 * i] = DIGITS[(src[i] >> 4) & 0xF];
            dst[2 * i + 1] = DIGITS[src[i] & 0xF];
        }
    }

    /** The value of a hex digit (either case), or -1. */
    static int digit(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Whether {@code s} is exactly {@code length} hex digits (either case). */
    static boolean isHex(CharSequence s, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (digit(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes {@code len} hex digits of {@code src} starting at {@code off} into {@code dst}
     * ({@code len / 2} bytes). Returns false, leaving {@code dst} partly written, if a digit is invalid.
     */
    static boolean decodeInto(byte[] src, int off, int len, byte[] dst) {
        for (int i = 0; i < len / 2; i++) {
            int hi = digit(src[off + 2 * i]);
            int lo = digit(src[off + 2 * i + 1]);
            if (hi < 0 || lo < 0) {
                return false;
            }
            dst[i] = (byte) ((hi << 4) | lo);
        }
        return true;
    }
}
