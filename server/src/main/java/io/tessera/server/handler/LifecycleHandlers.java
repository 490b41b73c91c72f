package io.tessera.server.handler;

import io.tessera.engine.Engine;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.HttpDates;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import io.tessera.server.keys.Access;
import io.tessera.server.lifecycle.Deadline;
import io.tessera.server.lifecycle.LifecycleRules;
import io.tessera.server.lifecycle.LifecycleStore;
import io.tessera.server.xml.S3Xml;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * PutBucketLifecycleConfiguration, GetBucketLifecycleConfiguration and DeleteBucketLifecycle, which need the
 * bucket's owner permission, and the {@code x-amz-abort-date} / {@code x-amz-abort-rule-id} headers that
 * CreateMultipartUpload and ListParts carry when a rule will abort the upload. The rules are applied by the
 * node's {@link io.tessera.server.lifecycle.LifecycleScheduler}. Stateless.
 */
final class LifecycleHandlers {
    void putLifecycle(Call call) {
        S3Request req = call.req();
        byte[] md5 = ObjectHandlers.contentMd5(req);
        ChecksumHeaders checksums = ChecksumHeaders.parse(req, call.auth().payloadMode().hasTrailer());
        if (md5 == null && checksums.algorithm() == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Missing required header for this request: Content-MD5");
        }
        call.withSmallBody((e, body, trailers) -> {
            ObjectHandlers.checkBodyDigests(body, md5, checksums.claimed(trailers));
            call.bucket(e, call.bucket(), Access.OWNER);
            LifecycleRules rules = LifecycleRules.validate(S3Xml.parseLifecycleConfiguration(body));
            LifecycleStore.save(e, call.bucket(), rules);
            return S3Response.ok();
        });
    }

    void getLifecycle(Call call) {
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.OWNER);
            byte[] doc = LifecycleStore.raw(e, call.bucket());
            if (doc == null) {
                throw new S3Exception(S3ErrorCode.NO_SUCH_LIFECYCLE_CONFIGURATION).with("BucketName", call.bucket());
            }
            return S3Response.xml(200, doc);
        });
    }

    void deleteLifecycle(Call call) {
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.OWNER);
            LifecycleStore.delete(e, call.bucket());
            return S3Response.noContent();
        });
    }

    /**
     * Adds {@code x-amz-abort-date} (RFC 1123) and {@code x-amz-abort-rule-id} to {@code r} when an enabled
     * rule of the bucket will abort an upload of {@code key} initiated at {@code initiated}. Runs on an engine
     * I/O thread.
     */
    static S3Response withAbortHeaders(S3Response r, Engine e, String bucket, String key, Instant initiated) {
        LifecycleRules rules = LifecycleStore.load(e, bucket);
        Deadline d = rules == null ? null : rules.abortDeadline(key, initiated);
        if (d != null) {
            r.header("x-amz-abort-date", HttpDates.format(d.at())).header("x-amz-abort-rule-id", headerSafe(d.ruleId()));
        }
        return r;
    }

    /**
     * A rule ID as a header value: printable ASCII as it is, anything else (controls, non-ASCII) as
     * percent-encoded UTF-8, since a rule ID may hold any character XML can carry and a header cannot.
     */
    static String headerSafe(String id) {
        StringBuilder out = new StringBuilder(id.length());
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
