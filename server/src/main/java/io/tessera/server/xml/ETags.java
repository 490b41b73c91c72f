package io.tessera.server.xml;

/**
 * ETag quoting. S3 sends ETags with surrounding double quotes, in headers and in XML; clients send them back
 * quoted or not. Stateless.
 */
public final class ETags {
    private ETags() {
    }

    /** The ETag with exactly one pair of surrounding double quotes. */
    public static String quoted(String etag) {
        return isQuoted(etag) ? etag : '"' + etag + '"';
    }

    /** The ETag without surrounding double quotes (for comparisons). */
    public static String unquoted(String etag) {
        return isQuoted(etag) ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static boolean isQuoted(String etag) {
        return etag.length() >= 2 && etag.charAt(0) == '"' && etag.charAt(etag.length() - 1) == '"';
    }
}
