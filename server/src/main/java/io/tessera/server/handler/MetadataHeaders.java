package io.tessera.server.handler;

import io.tessera.engine.ObjectMetadata;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.HeaderValues;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which request headers an object keeps, and how they come back. Stored (lower-case names): the
 * representation headers {@code Content-Type}, {@code Content-Encoding} (without the transfer token
 * {@code aws-chunked}), {@code Content-Disposition}, {@code Content-Language}, {@code Cache-Control},
 * {@code Expires}, plus {@code x-amz-meta-*} user metadata (at most 2 KB, as S3),
 * {@code x-amz-website-redirect-location} and a non-default {@code x-amz-storage-class}. Values are
 * kept as the text their bytes carry (UTF-8), and everything stored is sent back verbatim on GET and
 * HEAD. Stateless.
 */
final class MetadataHeaders {
    static final String USER_PREFIX = "x-amz-meta-";
    static final int MAX_USER_METADATA_BYTES = 2048;
    static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";

    private static final List<String> STORED = List.of("content-type", "content-encoding", "content-disposition",
            "content-language", "cache-control", "expires", "x-amz-website-redirect-location", "x-amz-storage-class");

    private MetadataHeaders() {
    }

    /** The metadata a PutObject, CopyObject (REPLACE) or CreateMultipartUpload request asks to store. */
    static ObjectMetadata fromRequest(S3Request req) {
        Map<String, String> out = new TreeMap<>();
        int userBytes = 0;
        for (String name : req.headers().names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            String value = HeaderValues.fromWire(String.join(",", req.headers().all(name)));
            if (lower.startsWith(USER_PREFIX)) {
                out.put(lower, value);
                userBytes += lower.substring(USER_PREFIX.length()).getBytes(StandardCharsets.UTF_8).length
                        + value.getBytes(StandardCharsets.UTF_8).length;
            } else if (STORED.contains(lower)) {
                if (lower.equals("content-encoding")) {
                    value = withoutAwsChunked(value);
                    if (value.isEmpty()) {
                        continue;
                    }
                }
                if (lower.equals("x-amz-storage-class") && value.equalsIgnoreCase("STANDARD")) {
                    continue;
                }
                out.put(lower, value);
            }
        }
        if (userBytes > MAX_USER_METADATA_BYTES) {
            throw new S3Exception(S3ErrorCode.METADATA_TOO_LARGE)
                    .with("Size", Integer.toString(userBytes))
                    .with("MaxSizeAllowed", Integer.toString(MAX_USER_METADATA_BYTES));
        }
        return new ObjectMetadata(out);
    }

    /**
     * What a PutObject or CreateMultipartUpload request asks to store: the headers of
     * {@link #fromRequest}, plus the tags of {@code x-amz-tagging} and the canned ACL of {@code x-amz-acl}
     * as {@link ReservedMetadata} entries.
     */
    static ObjectMetadata forNewObject(S3Request req) {
        return withTagsAndAcl(fromRequest(req), req);
    }

    /** {@code m} with the tags of {@code x-amz-tagging} and the ACL of {@code x-amz-acl}, where sent. */
    static ObjectMetadata withTagsAndAcl(ObjectMetadata m, S3Request req) {
        String tagging = req.header("x-amz-tagging");
        if (tagging != null) {
            Tags tags = Tags.fromHeader(HeaderValues.fromWire(tagging));
            m = ReservedMetadata.with(m, ReservedMetadata.TAGGING, tags.isEmpty() ? null : tags.encode());
        }
        CannedAcl acl = CannedAcl.fromHeaders(req, true);
        if (acl != null) {
            m = ReservedMetadata.with(m, ReservedMetadata.ACL, acl.stored());
        }
        return m;
    }

    /** Drops the {@code aws-chunked} token from a Content-Encoding list. */
    static String withoutAwsChunked(String contentEncoding) {
        List<String> kept = new ArrayList<>();
        for (String token : contentEncoding.split(",")) {
            String t = token.trim();
            if (!t.isEmpty() && !t.equalsIgnoreCase("aws-chunked")) {
                kept.add(t);
            }
        }
        return String.join(",", kept);
    }

    /**
     * Adds the stored headers to a GET or HEAD answer (Content-Type defaulting as S3 does), and
     * {@code x-amz-tagging-count} when the object has tags.
     */
    static void addTo(S3Response r, ObjectMetadata m) {
        for (Map.Entry<String, String> e : m.entries().entrySet()) {
            if (!ReservedMetadata.isReserved(e.getKey())) {
                r.header(e.getKey(), e.getValue());
            }
        }
        Tags tags = Tags.decodeStored(m.get(ReservedMetadata.TAGGING));
        if (!tags.isEmpty()) {
            r.header("x-amz-tagging-count", Integer.toString(tags.size()));
        }
        if (m.get("content-type") == null) {
            r.header("content-type", DEFAULT_CONTENT_TYPE);
        }
    }
}
