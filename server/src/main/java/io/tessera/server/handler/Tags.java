package io.tessera.server.handler;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.xml.Tagging;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A set of object or bucket tags with S3's rules: at most 10 per object and 50 per bucket, unique
 * case-sensitive keys of 1 to 128 Unicode characters, values of 0 to 256, made of letters, digits,
 * white space and {@code _ . : / = + - @}, and no key starting with {@code aws:}. Tags are kept sorted by
 * key, the order in which they are answered. Immutable.
 */
final class Tags {
    static final int MAX_OBJECT_TAGS = 10;
    static final int MAX_BUCKET_TAGS = 50;
    static final int MAX_KEY_CHARS = 128;
    static final int MAX_VALUE_CHARS = 256;
    static final Tags NONE = new Tags(new TreeMap<>());

    private static final Pattern ALLOWED = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    private static final String HEADER = "x-amz-tagging";
    private static final String HEADER_MESSAGE = "The header 'x-amz-tagging' shall be encoded as UTF-8 then"
            + " URLEncoded URL query parameters without tag name duplicates.";

    private final SortedMap<String, String> tags;

    private Tags(SortedMap<String, String> tags) {
        this.tags = Collections.unmodifiableSortedMap(tags);
    }

    Map<String, String> asMap() {
        return tags;
    }

    int size() {
        return tags.size();
    }

    boolean isEmpty() {
        return tags.isEmpty();
    }

    /**
     * The tags of an {@code x-amz-tagging} header ({@code k1=v1&k2=v2}, URL-encoded), checked for an object.
     *
     * @throws S3Exception {@code InvalidArgument} for an empty key, a bad escape or a repeated key;
     *     {@code InvalidTag} or {@code BadRequest} for tags S3 does not allow
     */
    static Tags fromHeader(String header) {
        SortedMap<String, String> out = new TreeMap<>();
        for (String pair : header.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (key.isEmpty() || out.put(key, value) != null) {
                throw headerError(header);
            }
        }
        return checked(out, MAX_OBJECT_TAGS);
    }

    /**
     * The tags of a {@code <Tagging>} document, checked against {@code max} (an object's or a bucket's limit).
     *
     * @throws S3Exception {@code InvalidTag} for a repeated key or a tag S3 does not allow, {@code BadRequest}
     *     for too many tags
     */
    static Tags fromXml(Tagging doc, int max) {
        SortedMap<String, String> out = new TreeMap<>();
        for (Tagging.Tag t : doc.tags()) {
            if (out.put(t.key(), t.value()) != null) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "Cannot provide multiple Tags with the same key")
                        .with("TagKey", t.key());
            }
        }
        return checked(out, max);
    }

    private static Tags checked(SortedMap<String, String> tags, int max) {
        if (tags.size() > max) {
            throw new S3Exception(S3ErrorCode.BAD_REQUEST, max == MAX_OBJECT_TAGS
                    ? "Object tags cannot be greater than " + max : "Bucket tag count cannot be greater than " + max);
        }
        for (Map.Entry<String, String> e : tags.entrySet()) {
            String key = e.getKey();
            int keyChars = key.codePointCount(0, key.length());
            if (keyChars < 1 || keyChars > MAX_KEY_CHARS || !ALLOWED.matcher(key).matches()) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "The TagKey you have provided is invalid")
                        .with("TagKey", key);
            }
            if (key.startsWith("aws:")) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "Your TagKey cannot be prefixed with aws:")
                        .with("TagKey", key);
            }
            String value = e.getValue();
            if (value.codePointCount(0, value.length()) > MAX_VALUE_CHARS || !ALLOWED.matcher(value).matches()) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "The TagValue you have provided is invalid")
                        .with("TagKey", key).with("TagValue", value);
            }
        }
        return new Tags(tags);
    }

    /** The stored form: {@code k1=v1&k2=v2}, URL-encoded, as the header carries it. */
    String encode() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : tags.entrySet()) {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    /** Reads what {@link #encode()} wrote; null or empty gives {@link #NONE}. */
    static Tags decodeStored(String stored) {
        if (stored == null || stored.isEmpty()) {
            return NONE;
        }
        SortedMap<String, String> out = new TreeMap<>();
        for (String pair : stored.split("&")) {
            int eq = pair.indexOf('=');
            out.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
        return new Tags(out);
    }

    Tagging toXml() {
        List<Tagging.Tag> out = new ArrayList<>(tags.size());
        tags.forEach((k, v) -> out.add(new Tagging.Tag(k, v)));
        return new Tagging(out);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw headerError(s);
        }
    }

    private static S3Exception headerError(String value) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, HEADER_MESSAGE).with("ArgumentName", HEADER)
                .with("ArgumentValue", value);
    }
}
