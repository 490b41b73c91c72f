package io.tessera.server.handler;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.S3Request;

/**
 * The {@code versionId} a request names: absent (the current version), {@code null} (the null version) or an id
 * the engine issued; an empty or malformed one is refused with InvalidArgument in every bucket state, as S3 does.
 * Stateless.
 */
final class VersionIds {
    static final String PARAM = "versionId";

    private VersionIds() {
    }

    /** The {@code versionId} query parameter, checked, or null when absent. */
    static String fromQuery(S3Request req) {
        if (!req.hasQueryParam(PARAM)) {
            return null;
        }
        String v = req.queryParam(PARAM);
        check(PARAM, v == null ? "" : v);
        return v;
    }

    /** Refuses any {@code versionId} query parameter (operations that act on no particular version). */
    static void requireLive(S3Request req) {
        String v = fromQuery(req);
        if (v != null && !v.equals(io.tessera.engine.VersionIds.NULL)) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This operation does not act on a version yet.");
        }
    }

    /** Refuses an empty or malformed id; {@code argumentName} goes into the error's {@code ArgumentName}. */
    static void check(String argumentName, String versionId) {
        S3Exception e = problem(argumentName, versionId);
        if (e != null) {
            throw e;
        }
    }

    /** Why {@code versionId} is not a version id, or null when it is one (or absent). */
    static S3Exception problem(String argumentName, String versionId) {
        if (versionId == null || io.tessera.engine.VersionIds.isWellFormed(versionId)) {
            return null;
        }
        String message = versionId.isEmpty() ? "Version id cannot be the empty string" : "Invalid version id specified";
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, message).with("ArgumentName", argumentName)
                .with("ArgumentValue", versionId);
    }
}
