package io.tessera.server.auth;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds the SigV4 canonical request and string to sign (S3 flavour: no path normalisation, no double
 * encoding). The canonical request is a byte string held one char per byte: its path and query are
 * escaped to ASCII, and header values are the bytes the client sent (see {@link SigV4Request}), so a
 * client that signed the UTF-8 of its metadata verifies when it sent those UTF-8 bytes.
 */
final class CanonicalRequest {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";

    private CanonicalRequest() {
    }

    /**
     * The six-line canonical request.
     *
     * @param signedHeaders lower-case header names, sorted
     * @param excludedParam decoded query parameter name to leave out ({@code X-Amz-Signature} for presigned URLs), or null
     */
    static String build(SigV4Request req, QueryString query, String excludedParam, List<String> signedHeaders,
            String hashedPayload) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(req.method()).append('\n');
        sb.append(UriEncoding.canonicalPath(req.rawPath())).append('\n');
        sb.append(query.canonical(excludedParam)).append('\n');
        for (String name : signedHeaders) {
            sb.append(name).append(':');
            appendHeaderValue(sb, req.headers(name));
            sb.append('\n');
        }
        sb.append('\n');
        sb.append(String.join(";", signedHeaders)).append('\n');
        sb.append(hashedPayload);
        return sb.toString();
    }

    /** {@code AWS4-HMAC-SHA256\n<amzDate>\n<scope>\n<hex sha256(canonical request bytes)>}. */
    static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n'
                + Crypto.sha256Hex(canonicalRequest.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * The string to sign of a client that took each received byte of a header value as one
     * ISO-8859-1 character and signed that text's UTF-8 (the AWS SDK for Java v2 does).
     */
    static String stringToSignOfLatin1Values(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n'
                + Crypto.sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    /** True when some byte of the canonical request (necessarily of a header value) is not ASCII. */
    static boolean hasNonAscii(String canonicalRequest) {
        for (int i = 0; i < canonicalRequest.length(); i++) {
            if (canonicalRequest.charAt(i) > 0x7F) {
                return true;
            }
        }
        return false;
    }

    /** The canonical request as text for error details: its bytes read as UTF-8. */
    static String readable(String canonicalRequest) {
        return new String(canonicalRequest.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /** Values joined by {@code ,}, each trimmed and with internal whitespace runs collapsed to one space. */
    static void appendHeaderValue(StringBuilder sb, List<String> values) {
        for (int v = 0; v < values.size(); v++) {
            if (v > 0) {
                sb.append(',');
            }
            appendTrimmed(sb, values.get(v));
        }
    }

    /** Appends {@code value} trimmed, internal whitespace runs collapsed to a single space. */
    static void appendTrimmed(StringBuilder sb, String value) {
        boolean pendingSpace = false;
        boolean started = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isWhitespace(c)) {
                pendingSpace = started;
            } else {
                if (pendingSpace) {
                    sb.append(' ');
                    pendingSpace = false;
                }
                sb.append(c);
                started = true;
            }
        }
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000B' || c == '\f';
    }
}
