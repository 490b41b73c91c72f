package io.tessera.server.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * SigV4 URI encoding (RFC 3986: only {@code A-Z a-z 0-9 - _ . ~} stay literal, every other byte is
 * {@code %XX} with upper-case hex). Works on bytes so that escapes of non-UTF-8 bytes survive unchanged.
 * Characters of the input above U+007F are taken as their UTF-8 bytes.
 */
final class UriEncoding {
    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

    private UriEncoding() {
    }

    /**
     * The canonical URI for a raw (still percent-encoded) request path, encoded exactly once:
     * existing escapes are kept (hex upper-cased; an escaped unreserved byte becomes literal, so
     * {@code %7E} and {@code ~} agree), raw reserved characters are escaped, a raw {@code /} separates
     * segments while an escaped {@code %2F} stays escaped, and {@code .}/{@code ..} are not normalised
     * (S3 semantics). An empty path is {@code /}.
     */
    static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        int n = rawPath.length();
        StringBuilder sb = new StringBuilder(n + 16);
        for (int i = 0; i < n; i++) {
            char c = rawPath.charAt(i);
            if (c == '%' && i + 2 < n && Hex.digit(rawPath.charAt(i + 1)) >= 0 && Hex.digit(rawPath.charAt(i + 2)) >= 0) {
                appendEncoded(sb, (Hex.digit(rawPath.charAt(i + 1)) << 4) | Hex.digit(rawPath.charAt(i + 2)));
                i += 2;
            } else if (c == '/') {
                sb.append('/');
            } else if (c < 0x80) {
                appendEncoded(sb, c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(rawPath.charAt(i + 1))
                        ? i + 2 : i + 1;
                for (byte b : rawPath.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    appendEncoded(sb, b & 0xFF);
                }
                i = end - 1;
            }
        }
        return sb.toString();
    }

    /**
     * A query-string component (name or value) canonicalised: percent-decoded ({@code +} read as a
     * space, as form encoding does) and re-encoded with {@code /} escaped too.
     */
    static String canonicalQueryComponent(String raw) {
        byte[] bytes = percentDecode(raw);
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            appendEncoded(sb, b & 0xFF);
        }
        return sb.toString();
    }

    /** Percent-decodes a query component to a string ({@code +} is a space, malformed escapes stay literal). */
    static String decodeQueryComponent(String raw) {
        return new String(percentDecode(raw), StandardCharsets.UTF_8);
    }

    /** Whether the byte is RFC 3986 unreserved. */
    static boolean isUnreserved(int b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
                || b == '-' || b == '_' || b == '.' || b == '~';
    }

    private static void appendEncoded(StringBuilder sb, int b) {
        if (isUnreserved(b)) {
            sb.append((char) b);
        } else {
            sb.append('%').append(HEX_UPPER[b >> 4]).append(HEX_UPPER[b & 0xF]);
        }
    }

    private static byte[] percentDecode(String s) {
        int n = s.length();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < n && Hex.digit(s.charAt(i + 1)) >= 0 && Hex.digit(s.charAt(i + 2)) >= 0) {
                out.write((Hex.digit(s.charAt(i + 1)) << 4) | Hex.digit(s.charAt(i + 2)));
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else if (c < 0x80) {
                out.write(c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))
                        ? i + 2 : i + 1;
                byte[] utf8 = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
                out.write(utf8, 0, utf8.length);
                i = end - 1;
            }
        }
        return out.toByteArray();
    }
}
