package io.tessera.server.handler;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.S3Request;
import io.tessera.server.route.ObjectKeys;

/**
 * The {@code x-amz-copy-source} header: {@code bucket/key}, URL-encoded, with an optional leading
 * slash and an optional {@code ?versionId=} (only {@code null} is accepted: there is no versioning).
 *
 * @param bucket the source bucket
 * @param key    the source key
 */
record CopySource(String bucket, String key) {
    static CopySource parse(S3Request req) {
        String raw = req.header("x-amz-copy-source");
        if (raw == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Copy Source must mention the source bucket and key:"
                    + " sourcebucket/sourcekey").with("ArgumentName", "x-amz-copy-source");
        }
        String v = raw.trim();
        int q = v.indexOf('?');
        if (q >= 0) {
            String query = v.substring(q + 1);
            v = v.substring(0, q);
            if (query.startsWith("versionId=") && !query.equals("versionId=null")) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "This node does not keep object versions.")
                        .with("ArgumentName", "x-amz-copy-source").with("ArgumentValue", raw);
            }
        }
        String decoded = ObjectKeys.percentDecode(v);
        if (decoded.startsWith("/")) {
            decoded = decoded.substring(1);
        }
        int slash = decoded.indexOf('/');
        if (slash <= 0 || slash == decoded.length() - 1) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Copy Source must mention the source bucket and key:"
                    + " sourcebucket/sourcekey").with("ArgumentName", "x-amz-copy-source")
                    .with("ArgumentValue", raw);
        }
        return new CopySource(decoded.substring(0, slash), ObjectKeys.validate(decoded.substring(slash + 1)));
    }
}
