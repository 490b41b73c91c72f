package io.tessera.server.handler;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.S3Request;

/**
 * Version ids. Tessera keeps no object versions, so the only version there is, is {@code null} (the id
 * S3 gives an object written while versioning was never enabled): it means the live object, as no
 * version id does; any other id is refused rather than ignored, so that no request acts on a version
 * it did not name. Stateless.
 */
final class VersionIds {
    static final String PARAM = "versionId";
    private static final String NULL_VERSION = "null";

    private VersionIds() {
    }

    /** Refuses a {@code versionId} query parameter other than {@code null}. */
    static void requireLive(S3Request req) {
        S3Exception e = req.hasQueryParam(PARAM) ? problem(PARAM, req.queryParam(PARAM)) : null;
        if (e != null) {
            throw e;
        }
    }

    /**
     * Why {@code versionId} cannot be served, or null when it names the live object (absent or {@code null}).
     *
     * @param argumentName where the id came from, for the error's {@code ArgumentName}
     */
    static S3Exception problem(String argumentName, String versionId) {
        if (versionId == null || versionId.equals(NULL_VERSION)) {
            return null;
        }
        String message = versionId.isEmpty() ? "Version id cannot be the empty string" : "Invalid version id specified";
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, message).with("ArgumentName", argumentName)
                .with("ArgumentValue", versionId);
    }
}
