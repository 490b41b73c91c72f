package io.tessera.server.handler;

import io.tessera.engine.BucketInfo;
import io.tessera.engine.Engine;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.S3Response;
import io.tessera.server.keys.Access;
import io.tessera.server.keys.KeyRing;
import io.tessera.server.keys.Permissions;
import io.tessera.server.route.BucketNames;
import io.tessera.server.xml.CreateBucketConfiguration;
import io.tessera.server.xml.ListAllMyBucketsResult;
import io.tessera.server.xml.LocationConstraint;
import io.tessera.server.xml.S3Xml;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * ListBuckets, CreateBucket, HeadBucket, DeleteBucket and GetBucketLocation. Any key may create a
 * bucket, and a key that is not an admin key gets read, write and owner on the bucket it creates;
 * ListBuckets lists the buckets the caller holds some permission on (an admin key: all). Stateless.
 */
final class BucketHandlers {
    private static final String US_EAST_1 = "us-east-1";

    void listBuckets(Call call) {
        String prefix = call.req().queryParam("prefix");
        int max = Params.intParam(call.req(), "max-buckets", 10_000, 1, 10_000);
        String token = call.req().queryParam("continuation-token");
        String after = token == null || token.isEmpty() ? null : decodeToken(token);
        KeyRing keys = call.ctx().keys();
        call.engine(e -> {
            List<BucketInfo> mine = new ArrayList<>();
            for (BucketInfo b : e.listBuckets()) {
                if (!keys.permissions(call.accessKeyId(), b.name()).isNone()
                        && (prefix == null || b.name().startsWith(prefix))
                        && (after == null || b.name().compareTo(after) > 0)) {
                    mine.add(b);
                }
            }
            mine.sort(Comparator.comparing(BucketInfo::name));
            String next = null;
            if (mine.size() > max) {
                mine = mine.subList(0, max);
                next = Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(mine.get(max - 1).name().getBytes(StandardCharsets.UTF_8));
            }
            List<ListAllMyBucketsResult.Bucket> out = new ArrayList<>();
            for (BucketInfo b : mine) {
                out.add(new ListAllMyBucketsResult.Bucket(b.name(), b.created(), call.ctx().region()));
            }
            return S3Response.xml(200, S3Xml.toBytes(new ListAllMyBucketsResult(
                    call.ctx().owners().owner(call.ownerId()), out, next, prefix)));
        });
    }

    private static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Params.invalid("continuation-token", token, "The continuation token provided is incorrect");
        }
    }

    void createBucket(Call call) {
        BucketNames.validate(call.bucket());
        CannedAcl acl = CannedAcl.fromHeaders(call.req(), false);
        if (!call.req().hasBody()) {
            call.engine(e -> create(call, e, acl));
            return;
        }
        call.withSmallBody((e, body, trailers) -> {
            if (body.length > 0) {
                CreateBucketConfiguration conf = S3Xml.parseCreateBucketConfiguration(body);
                checkLocation(call, conf.locationConstraint());
            }
            return create(call, e, acl);
        });
    }

    private static void checkLocation(Call call, String constraint) {
        String region = call.ctx().region();
        boolean ok = constraint == null ? region.equals(US_EAST_1) : constraint.equals(region)
                || (constraint.equals("US") && region.equals(US_EAST_1));
        if (!ok) {
            throw new S3Exception(S3ErrorCode.INVALID_LOCATION_CONSTRAINT, "The specified location-constraint is not"
                    + " valid for this node, whose region is " + region + ".")
                    .with("LocationConstraint", String.valueOf(constraint));
        }
    }

    /**
     * Creates the bucket with its grants started in the same command (grants left on its name dropped, a
     * creator that is not an admin key given read, write and owner), then its canned ACL
     * ({@code x-amz-acl}, or null); a bucket whose ACL cannot be written is taken back.
     */
    private static S3Response create(Call call, Engine e, CannedAcl acl) {
        KeyRing keys = call.ctx().keys();
        e.createBucket(call.bucket(), call.ownerId(), keys.bucketGrantee(call.accessKeyId()), Permissions.ALL.bits());
        try {
            if (acl == CannedAcl.PUBLIC_READ) {
                e.setBucketConfig(call.bucket(), AnonymousAccess.BUCKET_ACL_CONFIG,
                        acl.value().getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException ex) {
            e.deleteBucket(call.bucket());
            throw ex;
        }
        return S3Response.ok().header("Location", "/" + call.bucket());
    }

    void headBucket(Call call) {
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.READ);
            return S3Response.ok().header("x-amz-bucket-region", call.ctx().region());
        });
    }

    void deleteBucket(Call call) {
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.OWNER);
            e.deleteBucket(call.bucket()); // its grants go in the same command
            return S3Response.noContent();
        });
    }

    void getBucketLocation(Call call) {
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.READ);
            String region = call.ctx().region();
            return S3Response.xml(200, S3Xml.toBytes(new LocationConstraint(US_EAST_1.equals(region) ? null : region)));
        });
    }
}
