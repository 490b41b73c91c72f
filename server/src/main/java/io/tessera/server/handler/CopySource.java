package io.tessera.server.handler;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.HeaderValues;
import io.tessera.server.http.S3Request;
import io.tessera.server.route.ObjectKeys;

/**
 * The {@code x-amz-copy-source} header: {@code bucket/key}, URL-encoded, with an optional leading
 * slash and an optional {@code ?versionId=} (only {@code null} is accepted, see {@link VersionIds}).
 *
 * @param bucket the source bucket
 * @param key    the source key
 */
record CopySource(String bucket, String key) {
    private static final String HEADER = "x-amz-copy-source";

    static CopySource parse(S3Request req) {
        String raw = req.header(HEADER);
        if (raw == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Copy Source must mention the source bucket and key:"
                    + " sourcebucket/sourcekey").with("ArgumentName", HEADER);
        }
        String v = HeaderValues.fromWire(raw).trim();
        int q = v.indexOf('?');
        if (q >= 0) {
            checkVersion(v.substring(q + 1));
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
        return new CopySource(decoded.substring(0, slash), ObjectKeys.validate(decoded.substring(slash + 1)));
    }

    /** Refuses a {@code versionId} anywhere in the source's query, unless it is {@code null}. */
    private static void checkVersion(String query) {
        for (String param : query.split("&")) {
            int eq = param.indexOf('=');
            String name = ObjectKeys.percentDecode(eq < 0 ? param : param.substring(0, eq));
            if (name.equals(VersionIds.PARAM)) {
                String value = eq < 0 ? "" : ObjectKeys.percentDecode(param.substring(eq + 1));
                S3Exception e = VersionIds.problem(HEADER, value);
                if (e != null) {
                    throw e;
                }
            }
        }
    }
}
