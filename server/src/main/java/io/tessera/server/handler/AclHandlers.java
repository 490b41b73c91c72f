package io.tessera.server.handler;

import io.tessera.engine.BucketInfo;
import io.tessera.engine.Engine;
import io.tessera.engine.ObjectInfo;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.S3Response;
import io.tessera.server.keys.Access;
import io.tessera.server.xml.AccessControlPolicy;
import io.tessera.server.xml.S3Xml;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;

/**
 * Get/PutBucketAcl and Get/PutObjectAcl, limited to the canned ACLs of {@link CannedAcl}. A bucket's ACL
 * is the bucket document {@value AnonymousAccess#BUCKET_ACL_CONFIG}, an object's lives in its metadata
 * ({@link ReservedMetadata#ACL}) and changes without its bytes being rewritten. Reading an ACL needs read
 * access; changing an object's, write access; changing a bucket's, the owner's. Stateless.
 */
final class AclHandlers {
    void getBucketAcl(Call call) {
        call.engine(e -> {
            BucketInfo b = call.bucket(e, call.bucket(), Access.READ);
            return policy(AnonymousAccess.bucketAcl(e, call.bucket()), b.owner());
        });
    }

    void putBucketAcl(Call call) {
        withAcl(call, false, (e, parsed) -> {
            BucketInfo b = call.bucket(e, call.bucket(), Access.OWNER);
            CannedAcl acl = parsed.resolve(b.owner());
            e.setBucketConfig(call.bucket(), AnonymousAccess.BUCKET_ACL_CONFIG, acl == CannedAcl.PRIVATE ? null
                    : acl.value().getBytes(StandardCharsets.UTF_8));
            return S3Response.ok();
        });
    }

    void getObjectAcl(Call call) {
        VersionIds.requireLive(call.req());
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.READ);
            ObjectInfo info = e.headObject(call.bucket(), call.key());
            return policy(CannedAcl.ofStored(info.metadata().get(ReservedMetadata.ACL)), info.owner());
        });
    }

    void putObjectAcl(Call call) {
        VersionIds.requireLive(call.req());
        withAcl(call, true, (e, parsed) -> {
            call.bucket(e, call.bucket(), Access.WRITE);
            String owner = e.headObject(call.bucket(), call.key()).owner();
            CannedAcl acl = parsed.resolve(owner);
            e.setMetadataEntry(call.bucket(), call.key(), ReservedMetadata.ACL, acl.stored());
            return S3Response.ok();
        });
    }

    private static S3Response policy(CannedAcl acl, String owner) {
        return S3Response.xml(200, S3Xml.toBytes(acl.toPolicy(owner)));
    }

    /** The ACL a Put*Acl request states, as a header or as a document whose owner is checked later. */
    private record RequestedAcl(CannedAcl canned, AccessControlPolicy document) {
        CannedAcl resolve(String owner) {
            return canned != null ? canned : CannedAcl.fromPolicy(document, owner);
        }
    }

    /** Reads the ACL of the request (header, or proven body) and runs {@code op} with it. */
    private static void withAcl(Call call, boolean forObject, BiFunction<Engine, RequestedAcl, S3Response> op) {
        CannedAcl header = CannedAcl.fromHeaders(call.req(), forObject);
        if (!call.req().hasBody()) {
            if (header == null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "An ACL must be given, as x-amz-acl or as an AccessControlPolicy body.");
            }
            call.engine(e -> op.apply(e, new RequestedAcl(header, null)));
            return;
        }
        ProvenBody.readChecked(call, (e, body, trailers) -> {
            if (body.length == 0) {
                if (header == null) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                            "An ACL must be given, as x-amz-acl or as an AccessControlPolicy body.");
                }
                return op.apply(e, new RequestedAcl(header, null));
            }
            if (header != null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "Specifying both a canned ACL and an AccessControlPolicy body is not allowed.");
            }
            AccessControlPolicy doc;
            try {
                doc = S3Xml.parseAccessControlPolicy(body);
            } catch (S3Exception ex) {
                throw new S3Exception(S3ErrorCode.MALFORMED_ACL_ERROR);
            }
            return op.apply(e, new RequestedAcl(null, doc));
        });
    }
}
