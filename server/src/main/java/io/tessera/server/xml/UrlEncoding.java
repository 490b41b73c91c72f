package io.tessera.server.xml;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The {@code encoding-type=url} rules of the listing operations.
 *
 * <p>Encoding: the UTF-8 bytes of the value are percent-encoded with uppercase hex, except the RFC 3986
 * unreserved characters {@code A-Z a-z 0-9 - . _ ~} and {@code /}, which stay literal; a space becomes
 * {@code %20}. This equals Python's {@code urllib.parse.quote(key, safe='/')} and is what Ceph's s3-tests
 * expect from S3 ({@code test_bucket_list_encoding_basic} / {@code test_bucket_listv2_encoding_basic}: keys
 * {@code asdf+b}, {@code quux ab/} come back as {@code asdf%2Bb}, {@code quux%20ab/}). MinIO instead uses form
 * encoding (space as {@code +}, {@code *} kept, {@code ~} encoded), and one third-party measurement reports AWS
 * answering {@code +} for a space as well. {@code %20} was chosen because every client decoder reads it as a
 * space: botocore ({@code unquote_plus}) and the Java SDK ({@code URLDecoder}) decode both forms, while a plain
 * RFC 3986 decoder would turn a {@code +} into a literal plus and name the wrong key.
 *
 * <p>Which elements are encoded is decided by {@link S3Xml} from the document's {@code encodingType}
 * (ListObjects: Delimiter, Marker, NextMarker, Prefix, Key, CommonPrefixes/Prefix; ListObjectsV2: Delimiter,
 * Prefix, StartAfter, Key, CommonPrefixes/Prefix; ListMultipartUploads: Delimiter, KeyMarker, NextKeyMarker,
 * Prefix, Key, CommonPrefixes/Prefix). Stateless.
 */
public final class UrlEncoding {
    /** The only encoding type S3 defines. */
    public static final String URL = "url";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UrlEncoding() {
    }

    /** Percent-encodes a key, prefix, marker or delimiter as described in the class comment. */
    public static String encodeKey(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = null;
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            if (isKept(b)) {
                if (out != null) {
                    out.append((char) b);
                }
            } else {
                if (out == null) {
                    out = new StringBuilder(bytes.length + 16);
                    for (int j = 0; j < i; j++) {
                        out.append((char) bytes[j]);
                    }
                }
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
            }
        }
        return out == null ? value : out.toString();
    }

    /**
     * Checks the {@code encoding-type} request parameter.
     *
     * @param requested the parameter value, or null when absent
     * @return {@link #URL} or null
     * @throws S3Exception {@code InvalidArgument} for any other value
     */
    public static String checkEncodingType(String requested) {
        if (requested == null) {
            return null;
        }
        if (URL.equals(requested.toLowerCase(Locale.ROOT))) {
            return URL;
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request")
                .with("ArgumentName", "encoding-type")
                .with("ArgumentValue", requested);
    }

    /** True when values must be url-encoded for this {@code encodingType}. */
    static boolean isUrl(String encodingType) {
        return encodingType != null && URL.equalsIgnoreCase(encodingType);
    }

    /** {@code value} encoded when {@code encodingType} is url; null stays null. */
    static String apply(String value, String encodingType) {
        return value == null || !isUrl(encodingType) ? value : encodeKey(value);
    }

    private static boolean isKept(int b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
                || b == '-' || b == '.' || b == '_' || b == '~' || b == '/';
    }
}
