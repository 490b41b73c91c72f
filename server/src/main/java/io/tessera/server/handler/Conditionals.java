package io.tessera.server.handler;

import io.tessera.engine.ObjectInfo;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.HttpDates;
import io.tessera.server.http.S3Request;
import io.tessera.server.xml.ETags;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Conditional reads: {@code If-Match}, {@code If-None-Match}, {@code If-Modified-Since},
 * {@code If-Unmodified-Since} on GET and HEAD, and the {@code x-amz-copy-source-if-*} forms on copies.
 * As S3 (and RFC 7232): a matching If-Match overrides a failing If-Unmodified-Since, and a failing
 * If-None-Match overrides a passing If-Modified-Since. Dates that do not parse are ignored. Stateless.
 */
final class Conditionals {
    /** The outcome of evaluating the conditions. */
    enum Outcome { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

    private Conditionals() {
    }

    /** GET/HEAD: what to answer for {@code info} under the request's conditional headers. */
    static Outcome evaluate(S3Request req, ObjectInfo info) {
        return evaluate(req.header("If-Match"), req.header("If-None-Match"), req.header("If-Modified-Since"),
                req.header("If-Unmodified-Since"), info);
    }

    /** Copies: fails with PreconditionFailed when an {@code x-amz-copy-source-if-*} condition does not hold. */
    static void checkCopySource(S3Request req, ObjectInfo source) {
        Outcome o = evaluate(req.header("x-amz-copy-source-if-match"), req.header("x-amz-copy-source-if-none-match"),
                req.header("x-amz-copy-source-if-modified-since"), req.header("x-amz-copy-source-if-unmodified-since"),
                source);
        if (o != Outcome.PROCEED) {
            throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED)
                    .with("Condition", "x-amz-copy-source-If-*");
        }
    }

    static Outcome evaluate(String ifMatch, String ifNoneMatch, String ifModifiedSince, String ifUnmodifiedSince,
                            ObjectInfo info) {
        Instant modified = info.lastModified().truncatedTo(ChronoUnit.SECONDS);
        boolean matchPassed = false;
        if (ifMatch != null) {
            if (!matchesAny(ifMatch, info.etag())) {
                return Outcome.PRECONDITION_FAILED;
            }
            matchPassed = true;
        }
        if (!matchPassed && ifUnmodifiedSince != null) {
            Instant t = HttpDates.parse(ifUnmodifiedSince);
            if (t != null && modified.isAfter(t)) {
                return Outcome.PRECONDITION_FAILED;
            }
        }
        if (ifNoneMatch != null) {
            if (matchesAny(ifNoneMatch, info.etag())) {
                return Outcome.NOT_MODIFIED;
            }
            return Outcome.PROCEED;
        }
        if (ifModifiedSince != null) {
            Instant t = HttpDates.parse(ifModifiedSince);
            if (t != null && !modified.isAfter(t)) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /** Whether a comma-separated list of (quoted or weak) ETags, or {@code *}, names {@code etag}. */
    static boolean matchesAny(String list, String etag) {
        String want = ETags.unquoted(etag);
        for (String item : list.split(",")) {
            String t = item.trim();
            if (t.equals("*")) {
                return true;
            }
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (ETags.unquoted(t).equals(want)) {
                return true;
            }
        }
        return false;
    }
}
