package io.tessera.engine.upload;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Upload ids: 16 bytes, the first 6 a big-endian millisecond timestamp and the rest random, so ids
 * sort by creation time (ListMultipartUploads order) and are never reused. Their text form is 32
 * lower-case hex characters; anything else is not an upload id (and so NoSuchUpload).
 */
public final class UploadIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private UploadIds() {
    }

    public static byte[] newId(long nowMillis) {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        for (int i = 5; i >= 0; i--) {
            id[i] = (byte) nowMillis;
            nowMillis >>>= 8;
        }
        return id;
    }

    public static String format(byte[] id) {
        return HEX.formatHex(id);
    }

    /** Parses the text form; null when it is not a well-formed id. */
    public static byte[] parse(String text) {
        if (text == null || text.length() != 32) {
            return null;
        }
        for (int i = 0; i < 32; i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return null;
            }
        }
        return HEX.parseHex(text);
    }
}
