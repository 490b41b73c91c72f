package io.tessera.server.handler;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.HeaderValues;
import io.tessera.server.http.S3Request;
import io.tessera.server.route.ObjectKeys;

/**
 * The {@code x-amz-copy-source} header: {@code bucket/key}, URL-encoded, with an optional leading
 * slash and an optional {@code ?versionId=} (checked as {@link VersionIds} does).
 *
 * @param bucket the source bucket
 * @param key    the source key
 * @param versionId the source version, or null for the current one
 */
record CopySource(String bucket, String key, String versionId) {
    private static final String HEADER = "x-amz-copy-source";

    static CopySource parse(S3Request req) {
        String raw = req.header(HEADER);
        if (raw == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Copy Source must mention the source bucket and key:"
                    + " sourcebucket/sourcekey").with("ArgumentName", HEADER);
        }
        String v = HeaderValues.fromWire(raw).trim();
        int q = v.indexOf('?');
        String versionId = null;
        if (q >= 0) {
            versionId = versionOf(v.substring(q + 1));
            v = v.substring(0, q);
        }
        String decoded = ObjectKeys.percentDecode(v);
        if (decoded.startsWith("/")) {
            decoded = decoded.substring(1);
        }
        int slash = decoded.indexOf('/');
        if (slash <= 0 || slash == decoded.length() - 1) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Copy Source must mention the source bucket and key:"
                    + " sourcebucket/sourcekey").with("ArgumentName", HEADER)
                    .with("ArgumentValue", raw);
        }
        return new CopySource(decoded.substring(0, slash), ObjectKeys.validate(decoded.substring(slash + 1)),
                versionId);
    }

    /** The {@code versionId} of the source's query (checked), or null. */
    private static String versionOf(String query) {
        for (String param : query.split("&")) {
            int eq = param.indexOf('=');
            String name = ObjectKeys.percentDecode(eq < 0 ? param : param.substring(0, eq));
            if (name.equals(VersionIds.PARAM)) {
                String value = eq < 0 ? "" : ObjectKeys.percentDecode(param.substring(eq + 1));
                S3Exception e = VersionIds.problem(HEADER, value);
                if (e != null) {
                    throw e;
                }
                return value;
            }
        }
        return null;
    }
}
