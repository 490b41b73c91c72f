package io.tessera.server.handler;

import io.tessera.engine.Precondition;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.HttpDates;
import io.tessera.server.http.S3Request;
import io.tessera.server.xml.DeleteObjectsRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The conditions of writes and deletes, read from the request into the engine's {@link Precondition}
 * (which the engine decides atomically with the change): {@code If-Match} and {@code If-None-Match} on
 * PutObject, CopyObject and CompleteMultipartUpload; {@code If-Match},
 * {@code x-amz-if-match-last-modified-time} and {@code x-amz-if-match-size} on DeleteObject (and their
 * {@code <ETag>}, {@code <LastModifiedTime>}, {@code <Size>} in DeleteObjects);
 * {@code x-amz-if-match-initiated-time} on AbortMultipartUpload. Stateless.
 */
final class WriteConditions {
    static final String IF_MATCH_LAST_MODIFIED = "x-amz-if-match-last-modified-time";
    static final String IF_MATCH_SIZE = "x-amz-if-match-size";
    static final String IF_MATCH_INITIATED = "x-amz-if-match-initiated-time";

    private WriteConditions() {
    }

    /** {@code If-Match} ({@code *} or an ETag) and {@code If-None-Match} ({@code *} or an ETag) on a write. */
    static Precondition forWrite(S3Request req) {
        return Precondition.NONE.withIfMatch(etag(req.header("If-Match")))
                .withIfNoneMatch(etag(req.header("If-None-Match")));
    }

    /**
     * The conditions of a DeleteObject. S3 serves none of them on a request for a specific version
     * (Tessera's {@code versionId=null}): NotImplemented, as S3 answers.
     */
    static Precondition forDelete(S3Request req) {
        if (req.header("If-None-Match") != null) {
            throw notImplemented("If-None-Match");
        }
        Precondition p = Precondition.NONE.withIfMatch(etag(req.header("If-Match")));
        String modified = req.header(IF_MATCH_LAST_MODIFIED);
        if (modified != null) {
            p = p.withLastModified(time(IF_MATCH_LAST_MODIFIED, modified));
        }
        long size = Params.longHeader(req, IF_MATCH_SIZE);
        if (size >= 0) {
            p = p.withSize(size);
        }
        if (!p.isNone() && req.hasQueryParam(VersionIds.PARAM)) {
            throw notImplemented(p.ifMatch() != null ? "If-Match"
                    : modified != null ? IF_MATCH_LAST_MODIFIED : IF_MATCH_SIZE);
        }
        return p;
    }

    /** The conditions of one {@code <Object>} of DeleteObjects. */
    static Precondition forDeleteEntry(DeleteObjectsRequest.ObjectIdentifier o) {
        Precondition p = Precondition.NONE.withIfMatch(etag(o.etag()));
        if (o.lastModifiedTime() != null) {
            p = p.withLastModified(time("LastModifiedTime", o.lastModifiedTime()));
        }
        if (o.size() != null) {
            try {
                long size = Long.parseLong(o.size().trim());
                if (size < 0) {
                    throw new NumberFormatException(o.size());
                }
                p = p.withSize(size);
            } catch (NumberFormatException e) {
                throw Params.invalid("Size", o.size(), null);
            }
        }
        if (!p.isNone() && o.versionId() != null) {
            throw notImplemented("ETag");
        }
        return p;
    }

    /** {@code x-amz-if-match-initiated-time} of an abort, or null. */
    static Instant initiatedTime(S3Request req) {
        String v = req.header(IF_MATCH_INITIATED);
        return v == null ? null : time(IF_MATCH_INITIATED, v);
    }

    private static String etag(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "An ETag condition cannot be empty.");
        }
        return v;
    }

    /** An HTTP date, as SDKs send timestamp headers; ISO-8601 (the XML form) is accepted too. */
    private static Instant time(String name, String value) {
        Instant t = HttpDates.parse(value);
        if (t == null) {
            try {
                t = Instant.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw Params.invalid(name, value, "Invalid date for " + name + ": " + value);
            }
        }
        return t;
    }

    private static S3Exception notImplemented(String header) {
        return new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                "A header you provided implies functionality that is not implemented").with("Header", header);
    }
}
