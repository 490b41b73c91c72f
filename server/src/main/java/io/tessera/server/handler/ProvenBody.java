package io.tessera.server.handler;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.S3Request;

/**
 * Reading the small XML body of a configuration operation: PutObjectTagging, PutBucketTagging and
 * PutBucketCors, for which S3 requires an integrity header (Content-MD5 or an {@code x-amz-checksum-*}),
 * and the ACL bodies, for which it checks one when sent (s3cmd sends ACLs without). The digest is checked
 * before the handler sees the body. Stateless.
 */
final class ProvenBody {
    private ProvenBody() {
    }

    /** Reads the body, proves it, then runs {@code handler}; InvalidRequest when no digest was sent. */
    static void read(Call call, Call.SmallBodyHandler handler) {
        read(call, true, handler);
    }

    /** Reads the body, proves it against the digest sent, if any, then runs {@code handler}. */
    static void readChecked(Call call, Call.SmallBodyHandler handler) {
        read(call, false, handler);
    }

    private static void read(Call call, boolean digestRequired, Call.SmallBodyHandler handler) {
        S3Request req = call.req();
        byte[] md5 = ObjectHandlers.contentMd5(req);
        ChecksumHeaders checksums = ChecksumHeaders.parse(req, call.auth().payloadMode().hasTrailer());
        if (digestRequired && md5 == null && checksums.algorithm() == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Missing required header for this request: Content-MD5 OR x-amz-checksum-*");
        }
        call.withSmallBody((e, body, trailers) -> {
            ObjectHandlers.checkBodyDigests(body, md5, checksums.claimed(trailers));
            return handler.handle(e, body, trailers);
        });
    }
}
