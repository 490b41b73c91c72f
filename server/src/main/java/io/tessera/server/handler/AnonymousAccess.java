package io.tessera.server.handler;

import io.tessera.engine.Engine;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.ObjectContent;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ReadRange;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.S3Request;
import io.tessera.server.keys.Access;
import io.tessera.server.route.Operation;
import io.tessera.server.route.Route;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The only way in for a request that carries no signature at all: GetObject and HeadObject of an object
 * that is public, because its own ACL or its bucket's ACL is {@code public-read}. Everything else an
 * anonymous caller asks is AccessDenied, and so is a missing key in a private bucket (so that nobody
 * learns which keys exist). CORS preflights and browser form uploads are not anonymous in this sense:
 * they never reach here ({@link Operation#authenticatesItself()}).
 *
 * <p>Unlike S3, where a bucket's {@code public-read} lets anyone list it, here it lets anyone read its
 * objects, and listing stays private. Stateless.
 */
final class AnonymousAccess {
    /** Where a bucket's canned ACL is kept ({@link Engine#bucketConfig}); absent means private. */
    static final String BUCKET_ACL_CONFIG = "acl";

    private AnonymousAccess() {
    }

    /** A request is anonymous when it has neither an Authorization header nor any query authentication. */
    static boolean isAnonymous(S3Request req) {
        return !req.hasHeader("Authorization") && !req.hasQueryParam("X-Amz-Algorithm")
                && !req.hasQueryParam("X-Amz-Credential") && !req.hasQueryParam("X-Amz-Signature")
                && !req.hasQueryParam("AWSAccessKeyId") && !req.hasQueryParam("Signature");
    }

    /** Lets an anonymous request go on to its handler, or refuses it. */
    static void admit(Route route, S3Request req) {
        if (route.operation() != Operation.GetObject && route.operation() != Operation.HeadObject) {
            throw denied();
        }
        for (String name : req.query().keySet()) {
            if (name.startsWith("response-")) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "Request specific response headers cannot be used for anonymous GET requests.");
            }
        }
    }

    /** The bucket-level check of an anonymous caller: only reads go on, to the object-level check. */
    static void checkBucket(Access need) {
        if (need != Access.READ) {
            throw denied();
        }
    }

    /** HeadObject for an anonymous caller: the object's info if it is public. */
    static ObjectInfo head(Engine e, String bucket, String key, String versionId) {
        return open(e, bucket, () -> e.headObject(bucket, key, versionId), info -> info, info -> { });
    }

    /** GetObject for an anonymous caller: the object's content if it is public (closed when it is not). */
    static ObjectContent get(Engine e, String bucket, String key, String versionId, ReadRange range) {
        return open(e, bucket, () -> e.getObject(bucket, key, versionId, range), ObjectContent::info,
                ObjectContent::close);
    }

    /** The decision is made on the very version being served, so a concurrent overwrite cannot leak. */
    private static <T> T open(Engine e, String bucket, Supplier<T> opener,
                              Function<T, ObjectInfo> infoOf, Consumer<T> close) {
        boolean bucketPublic = bucketIsPublic(e, bucket);
        T opened;
        try {
            opened = opener.get();
        } catch (EngineException ex) {
            if (ex.code() == ErrorCode.NO_SUCH_KEY && !bucketPublic) {
                throw denied();
            }
            throw ex;
        }
        ObjectInfo info = infoOf.apply(opened);
        if (!bucketPublic && CannedAcl.ofStored(info.metadata().get(ReservedMetadata.ACL)) != CannedAcl.PUBLIC_READ) {
            close.accept(opened);
            throw denied();
        }
        return opened;
    }

    static boolean bucketIsPublic(Engine e, String bucket) {
        return bucketAcl(e, bucket) == CannedAcl.PUBLIC_READ;
    }

    /** A bucket's canned ACL. */
    static CannedAcl bucketAcl(Engine e, String bucket) {
        byte[] stored = e.bucketConfig(bucket, BUCKET_ACL_CONFIG);
        return stored == null ? CannedAcl.PRIVATE : CannedAcl.ofStored(new String(stored, StandardCharsets.UTF_8));
    }

    private static S3Exception denied() {
        return new S3Exception(S3ErrorCode.ACCESS_DENIED);
    }
}
