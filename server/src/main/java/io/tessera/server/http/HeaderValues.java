package io.tessera.server.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Header values between the wire and the S3 layers. HTTP libraries (Netty included) hand header
 * values over as "wire strings", one char per byte as sent (ISO-8859-1); SigV4 must hash exactly those
 * bytes. Where a value is text to S3 (stored metadata, answered headers), it is UTF-8, as clients that
 * send non-ASCII metadata encode it. Stateless and thread-safe.
 */
public final class HeaderValues {
    private HeaderValues() {
    }

    /**
     * The text a wire string carries: its bytes read as UTF-8, or as ISO-8859-1 when they are not
     * valid UTF-8 (what HTTP meant before UTF-8), so that no byte sequence is lost or refused.
     */
    public static String fromWire(String wire) {
        if (isAscii(wire)) {
            return wire;
        }
        try {
            CharBuffer text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(wire.getBytes(StandardCharsets.ISO_8859_1)));
            return text.toString();
        } catch (CharacterCodingException e) {
            return wire;
        }
    }

    /** The wire string that sends {@code text} as UTF-8 bytes (one char per byte). */
    public static String toWire(String text) {
        if (isAscii(text)) {
            return text;
        }
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether a header may carry {@code text} (RFC 9110 field value): no control character but
     * horizontal tab, and no white space at either end. Non-ASCII text is fine; it is sent as UTF-8.
     */
    public static boolean isValid(String text) {
        int n = text.length();
        if (n == 0) {
            return true;
        }
        if (isBlank(text.charAt(0)) || isBlank(text.charAt(n - 1))) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
