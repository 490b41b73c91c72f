package io.tessera.server.route;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Object key rules: decoding keys from a request path and the 1024-byte length limit.
 * Stateless and thread-safe.
 */
public final class ObjectKeys {
    /** Longest key S3 accepts, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;

    private ObjectKeys() {
    }

    /**
     * Checks the length limit.
     *
     * @throws S3Exception {@code KeyTooLongError} when the key is longer than {@link #MAX_KEY_BYTES} in UTF-8,
     *     with {@code Size} and {@code MaxSizeAllowed} details as AWS sends them
     */
    public static String validate(String key) {
        int size = utf8Length(key);
        if (size > MAX_KEY_BYTES) {
            throw new S3Exception(S3ErrorCode.KEY_TOO_LONG)
                    .with("Size", Integer.toString(size))
                    .with("MaxSizeAllowed", Integer.toString(MAX_KEY_BYTES));
        }
        return key;
    }

    /**
     * Percent-decodes a path (or {@code x-amz-copy-source}) component exactly once, as S3 does: every
     * {@code %XX} becomes one byte, the bytes are read as UTF-8, and {@code +} stays a literal plus
     * (form encoding does not apply to paths). A decoded {@code %2F} is an ordinary {@code /} of the key.
     *
     * @throws S3Exception {@code InvalidArgument} for a truncated or non-hex escape or bytes that are not UTF-8
     */
    public static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw badUri(raw);
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw badUri(raw);
                }
                bytes.write((hi << 4) | lo);
                i += 3;
            } else {
                int end = i;
                while (end < raw.length() && raw.charAt(end) != '%') {
                    end++;
                }
                byte[] literal = raw.substring(i, end).getBytes(StandardCharsets.UTF_8);
                bytes.write(literal, 0, literal.length);
                i = end;
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes.toByteArray()));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw badUri(raw);
        }
    }

    private static S3Exception badUri(String raw) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Couldn't parse the specified URI.")
                .with("URI", raw);
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
