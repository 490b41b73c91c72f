package io.tessera.server.handler;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.S3Request;
import io.tessera.server.xml.AccessControlPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The ACLs Tessera keeps: the canned ACLs {@code private} (the owner has full control) and
 * {@code public-read} (and anyone may read). They come as {@code x-amz-acl} or as an
 * {@code AccessControlPolicy} whose grants are exactly those of one of them; other canned ACLs and
 * {@code x-amz-grant-*} headers are refused with NotImplemented, unknown values with InvalidArgument.
 * For objects, {@code bucket-owner-full-control} and {@code bucket-owner-read} mean {@code private}: the
 * bucket's grants, not an object owner, decide who may do what with an object.
 */
enum CannedAcl {
    PRIVATE("private"),
    PUBLIC_READ("public-read");

    /** The group every anonymous caller belongs to. */
    static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    static final String HEADER = "x-amz-acl";

    private static final Set<String> KNOWN = Set.of("private", "public-read", "public-read-write",
            "authenticated-read", "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control",
            "log-delivery-write");
    private static final List<String> GRANT_HEADERS = List.of("x-amz-grant-read", "x-amz-grant-write",
            "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control");

    private final String value;

    CannedAcl(String value) {
        this.value = value;
    }

    /** The {@code x-amz-acl} value. */
    String value() {
        return value;
    }

    /** The stored form of an object's ACL: null for private (nothing stored), else the canned name. */
    String stored() {
        return this == PRIVATE ? null : value;
    }

    /** Reads {@link #stored()}. */
    static CannedAcl ofStored(String stored) {
        return PUBLIC_READ.value.equals(stored) ? PUBLIC_READ : PRIVATE;
    }

    /**
     * The ACL a request's {@code x-amz-acl} header asks for, or null when it sends none.
     *
     * @param forObject whether the ACL is an object's (which accepts the {@code bucket-owner-*} values)
     */
    static CannedAcl fromHeaders(S3Request req, boolean forObject) {
        for (String grant : GRANT_HEADERS) {
            if (req.hasHeader(grant)) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "Grant headers are not implemented; use the canned"
                        + " ACLs private or public-read.").with("Header", grant);
            }
        }
        String v = req.header(HEADER);
        return v == null ? null : parse(v.trim(), forObject);
    }

    static CannedAcl parse(String v, boolean forObject) {
        String lower = v.toLowerCase(Locale.ROOT);
        for (CannedAcl a : values()) {
            if (a.value.equals(lower)) {
                return a;
            }
        }
        if (forObject && (lower.equals("bucket-owner-full-control") || lower.equals("bucket-owner-read"))) {
            return PRIVATE;
        }
        if (KNOWN.contains(lower)) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "The canned ACL " + v + " is not implemented; use"
                    + " private or public-read.").with("Header", HEADER);
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT).with("ArgumentName", HEADER).with("ArgumentValue", v);
    }

    /** This ACL as S3 answers Get Bucket/Object ACL. */
    AccessControlPolicy toPolicy(String ownerId) {
        List<AccessControlPolicy.Grant> grants = new ArrayList<>();
        grants.add(new AccessControlPolicy.Grant(AccessControlPolicy.CANONICAL_USER, ownerId, "FULL_CONTROL"));
        if (this == PUBLIC_READ) {
            grants.add(new AccessControlPolicy.Grant(AccessControlPolicy.GROUP, ALL_USERS, "READ"));
        }
        return new AccessControlPolicy(ownerId, grants);
    }

    /**
     * The canned ACL whose grants a policy document lists exactly (in any order), naming {@code ownerId} as
     * the owner; NotImplemented for any other set of grants.
     */
    static CannedAcl fromPolicy(AccessControlPolicy p, String ownerId) {
        if (p.owner() != null && !p.owner().equals(ownerId)) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "The owner in the ACL is not the resource's owner.");
        }
        Set<AccessControlPolicy.Grant> given = new HashSet<>(p.grants());
        for (CannedAcl a : values()) {
            if (given.equals(new HashSet<>(a.toPolicy(ownerId).grants()))) {
                return a;
            }
        }
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "Only the grants of the canned ACLs private and"
                + " public-read are implemented.");
    }
}
