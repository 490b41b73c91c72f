package io.tessera.server.route;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides which {@link Operation} a request asks for, in the manner of Garage's {@code Endpoint::from_request}:
 * from the HTTP method, whether a bucket and a key are present, the keyword query parameters and the
 * {@code x-amz-copy-source} header.
 *
 * <p>Decision table ({@code -} = absent; other query parameters are ignored, as S3 ignores unknown ones):
 * <pre>
 * method  bucket key  query / header                      operation
 * GET     -      -                                        ListBuckets
 * GET     yes    -    location                            GetBucketLocation
 * GET     yes    -    lifecycle                           GetBucketLifecycleConfiguration
 * GET     yes    -    tagging | cors | acl                GetBucketTagging | GetBucketCors | GetBucketAcl
 * GET     yes    -    versioning | versions               GetBucketVersioning | ListObjectVersions
 * GET     yes    -    uploads                             ListMultipartUploads
 * GET     yes    -    list-type=2                         ListObjectsV2
 * GET     yes    -                                        ListObjects
 * HEAD    yes    -                                        HeadBucket
 * PUT     yes    -    lifecycle                           PutBucketLifecycleConfiguration
 * PUT     yes    -    tagging | cors | acl                PutBucketTagging | PutBucketCors | PutBucketAcl
 * PUT     yes    -    versioning                          PutBucketVersioning
 * PUT     yes    -                                        CreateBucket
 * DELETE  yes    -    lifecycle                           DeleteBucketLifecycle
 * DELETE  yes    -    tagging | cors                      DeleteBucketTagging | DeleteBucketCors
 * DELETE  yes    -                                        DeleteBucket
 * POST    yes    -    delete                              DeleteObjects
 * POST    yes    -                                        PostObject (browser form upload)
 * OPTIONS yes    -                                        PreflightBucket (CORS)
 * GET     yes    yes  uploadId                            ListParts
 * GET     yes    yes  attributes                          GetObjectAttributes
 * GET     yes    yes  tagging | acl                       GetObjectTagging | GetObjectAcl
 * GET     yes    yes                                      GetObject
 * HEAD    yes    yes                                      HeadObject
 * PUT     yes    yes  partNumber+uploadId, copy-source    UploadPartCopy
 * PUT     yes    yes  partNumber+uploadId                 UploadPart
 * PUT     yes    yes  tagging | acl                       PutObjectTagging | PutObjectAcl
 * PUT     yes    yes  copy-source                         CopyObject
 * PUT     yes    yes                                      PutObject
 * DELETE  yes    yes  uploadId                            AbortMultipartUpload
 * DELETE  yes    yes  tagging                             DeleteObjectTagging
 * DELETE  yes    yes                                      DeleteObject
 * POST    yes    yes  uploads                             CreateMultipartUpload
 * POST    yes    yes  uploadId                            CompleteMultipartUpload
 * OPTIONS yes    yes                                      PreflightObject (CORS)
 * </pre>
 * Errors:
 * <ul>
 *   <li>a sub-resource of an S3 feature we do not serve ({@code ?policy}, {@code ?website},
 *       {@code ?object-lock}, ..., see {@link #UNSUPPORTED_SUBRESOURCES}) gives {@code NotImplemented};</li>
 *   <li>any other method, or a served sub-resource ({@code uploads}, {@code uploadId}, {@code location},
 *       {@code delete}, {@code attributes}, {@code lifecycle}, {@code tagging}, {@code cors}, {@code acl},
 *       {@code versioning}, {@code versions}) on a method or resource it does not belong to, gives {@code MethodNotAllowed};</li>
 *   <li>a {@code list-type} other than 2, {@code partNumber} without {@code uploadId} (or the reverse) on PUT,
 *       and {@code uploads} together with {@code uploadId} on POST give {@code InvalidArgument}.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class Router {
    /** Copy source header; its presence turns a PUT into a copy. */
    public static final String COPY_SOURCE_HEADER = "x-amz-copy-source";

    /** Sub-resources (query keywords) of S3 features Tessera does not implement. */
    public static final Set<String> UNSUPPORTED_SUBRESOURCES = Set.of(
            "abac", "accelerate", "analytics", "encryption", "intelligent-tiering",
            "inventory", "legal-hold", "logging", "metadataConfiguration", "metadataInventoryTable",
            "metadataJournalTable", "metadataTable", "metrics", "notification", "object-lock",
            "ownershipControls", "policy", "policyStatus", "publicAccessBlock", "renameObject", "replication",
            "requestPayment", "restore", "retention", "select", "session", "torrent", "website");

    private static final String UPLOADS = "uploads";
    private static final String UPLOAD_ID = "uploadId";
    private static final String PART_NUMBER = "partNumber";
    private static final String LOCATION = "location";
    private static final String DELETE = "delete";
    private static final String LIST_TYPE = "list-type";
    private static final String ATTRIBUTES = "attributes";
    private static final String LIFECYCLE = "lifecycle";
    private static final String TAGGING = "tagging";
    private static final String CORS = "cors";
    private static final String ACL = "acl";
    private static final String VERSIONING = "versioning";
    private static final String VERSIONS = "versions";
    private static final String BUCKET = "BUCKET";
    private static final String OBJECT = "OBJECT";
    private static final List<String> SERVED_SUBRESOURCES = List.of(UPLOADS, UPLOAD_ID, LOCATION, DELETE, ATTRIBUTES,
            LIFECYCLE, TAGGING, CORS, ACL, VERSIONING, VERSIONS);

    /**
     * Routes one request.
     *
     * @param method the HTTP method, as sent (methods are case-sensitive)
     * @param bucket the bucket, or null for a service-level request
     * @param key the object key, or null when the request names none
     * @param query decoded query parameters; a keyword without value ({@code ?uploads}) maps to {@code [""]}
     * @param hasHeader answers whether a header is present; must ignore case
     * @throws S3Exception {@code NotImplemented}, {@code MethodNotAllowed} or {@code InvalidArgument} as in the
     *     class comment
     */
    public Route route(String method, String bucket, String key, Map<String, List<String>> query,
            Predicate<String> hasHeader) {
        Objects.requireNonNull(method, "method");
        if (bucket == null && key != null) {
            throw new IllegalArgumentException("a key needs a bucket");
        }
        Map<String, List<String>> q = query == null ? Map.of() : query;
        Predicate<String> headers = hasHeader == null ? h -> false : hasHeader;
        if (bucket == null) {
            if ("GET".equals(method)) {
                return new Route(Operation.ListBuckets, null, null);
            }
            throw methodNotAllowed(method, "SERVICE");
        }
        if ("OPTIONS".equals(method)) {
            // a preflight carries the query of the request it asks about, whatever that is
            return new Route(key == null ? Operation.PreflightBucket : Operation.PreflightObject, bucket, key);
        }
        for (String name : q.keySet()) {
            if (UNSUPPORTED_SUBRESOURCES.contains(name)) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                        "The ?" + name + " sub-resource is not implemented.");
            }
        }
        Operation op = key == null ? bucketOperation(method, q) : objectOperation(method, q, headers);
        return new Route(op, bucket, key);
    }

    private static Operation bucketOperation(String method, Map<String, List<String>> q) {
        switch (method) {
            case "GET":
                if (q.containsKey(LOCATION)) {
                    onlySubresource(method, q, LOCATION, BUCKET);
                    return Operation.GetBucketLocation;
                }
                if (q.containsKey(UPLOADS)) {
                    onlySubresource(method, q, UPLOADS, BUCKET);
                    return Operation.ListMultipartUploads;
                }
                if (q.containsKey(LIFECYCLE)) {
                    onlySubresource(method, q, LIFECYCLE, BUCKET);
                    return Operation.GetBucketLifecycleConfiguration;
                }
                if (q.containsKey(TAGGING)) {
                    onlySubresource(method, q, TAGGING, BUCKET);
                    return Operation.GetBucketTagging;
                }
                if (q.containsKey(CORS)) {
                    onlySubresource(method, q, CORS, BUCKET);
                    return Operation.GetBucketCors;
                }
                if (q.containsKey(ACL)) {
                    onlySubresource(method, q, ACL, BUCKET);
                    return Operation.GetBucketAcl;
                }
                if (q.containsKey(VERSIONING)) {
                    onlySubresource(method, q, VERSIONING, BUCKET);
                    return Operation.GetBucketVersioning;
                }
                if (q.containsKey(VERSIONS)) {
                    onlySubresource(method, q, VERSIONS, BUCKET);
                    return Operation.ListObjectVersions;
                }
                onlySubresource(method, q, null, BUCKET);
                if (q.containsKey(LIST_TYPE)) {
                    if (!"2".equals(first(q, LIST_TYPE))) {
                        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid list-type; only 2 is supported.")
                                .with("ArgumentName", LIST_TYPE)
                                .with("ArgumentValue", String.valueOf(first(q, LIST_TYPE)));
                    }
                    return Operation.ListObjectsV2;
                }
                return Operation.ListObjects;
            case "HEAD":
                onlySubresource(method, q, null, BUCKET);
                return Operation.HeadBucket;
            case "PUT":
                if (q.containsKey(LIFECYCLE)) {
                    onlySubresource(method, q, LIFECYCLE, BUCKET);
                    return Operation.PutBucketLifecycleConfiguration;
                }
                if (q.containsKey(TAGGING)) {
                    onlySubresource(method, q, TAGGING, BUCKET);
                    return Operation.PutBucketTagging;
                }
                if (q.containsKey(CORS)) {
                    onlySubresource(method, q, CORS, BUCKET);
                    return Operation.PutBucketCors;
                }
                if (q.containsKey(ACL)) {
                    onlySubresource(method, q, ACL, BUCKET);
                    return Operation.PutBucketAcl;
                }
                if (q.containsKey(VERSIONING)) {
                    onlySubresource(method, q, VERSIONING, BUCKET);
                    return Operation.PutBucketVersioning;
                }
                onlySubresource(method, q, null, BUCKET);
                return Operation.CreateBucket;
            case "DELETE":
                if (q.containsKey(LIFECYCLE)) {
                    onlySubresource(method, q, LIFECYCLE, BUCKET);
                    return Operation.DeleteBucketLifecycle;
                }
                if (q.containsKey(TAGGING)) {
                    onlySubresource(method, q, TAGGING, BUCKET);
                    return Operation.DeleteBucketTagging;
                }
                if (q.containsKey(CORS)) {
                    onlySubresource(method, q, CORS, BUCKET);
                    return Operation.DeleteBucketCors;
                }
                onlySubresource(method, q, null, BUCKET);
                return Operation.DeleteBucket;
            case "POST":
                if (q.containsKey(DELETE)) {
                    onlySubresource(method, q, DELETE, BUCKET);
                    return Operation.DeleteObjects;
                }
                onlySubresource(method, q, null, BUCKET);
                return Operation.PostObject;
            default:
                throw methodNotAllowed(method, BUCKET);
        }
    }

    private static Operation objectOperation(String method, Map<String, List<String>> q, Predicate<String> headers) {
        boolean uploadId = q.containsKey(UPLOAD_ID);
        switch (method) {
            case "GET":
                if (q.containsKey(ATTRIBUTES)) {
                    onlySubresource(method, q, ATTRIBUTES, OBJECT);
                    return Operation.GetObjectAttributes;
                }
                if (q.containsKey(TAGGING)) {
                    onlySubresource(method, q, TAGGING, OBJECT);
                    return Operation.GetObjectTagging;
                }
                if (q.containsKey(ACL)) {
                    onlySubresource(method, q, ACL, OBJECT);
                    return Operation.GetObjectAcl;
                }
                onlySubresource(method, q, uploadId ? UPLOAD_ID : null, OBJECT);
                return uploadId ? Operation.ListParts : Operation.GetObject;
            case "HEAD":
                onlySubresource(method, q, null, OBJECT);
                return Operation.HeadObject;
            case "PUT":
                if (q.containsKey(TAGGING)) {
                    onlySubresource(method, q, TAGGING, OBJECT);
                    return Operation.PutObjectTagging;
                }
                if (q.containsKey(ACL)) {
                    onlySubresource(method, q, ACL, OBJECT);
                    return Operation.PutObjectAcl;
                }
                onlySubresource(method, q, uploadId ? UPLOAD_ID : null, OBJECT);
                boolean copy = headers.test(COPY_SOURCE_HEADER);
                if (uploadId != q.containsKey(PART_NUMBER)) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                            "partNumber and uploadId must be given together.")
                            .with("ArgumentName", uploadId ? PART_NUMBER : UPLOAD_ID);
                }
                if (uploadId) {
                    return copy ? Operation.UploadPartCopy : Operation.UploadPart;
                }
                return copy ? Operation.CopyObject : Operation.PutObject;
            case "DELETE":
                if (q.containsKey(TAGGING)) {
                    onlySubresource(method, q, TAGGING, OBJECT);
                    return Operation.DeleteObjectTagging;
                }
                onlySubresource(method, q, uploadId ? UPLOAD_ID : null, OBJECT);
                return uploadId ? Operation.AbortMultipartUpload : Operation.DeleteObject;
            case "POST":
                if (uploadId && q.containsKey(UPLOADS)) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                            "uploads and uploadId cannot be combined.")
                            .with("ArgumentName", UPLOADS);
                }
                if (uploadId) {
                    onlySubresource(method, q, UPLOAD_ID, OBJECT);
                    return Operation.CompleteMultipartUpload;
                }
                if (q.containsKey(UPLOADS)) {
                    onlySubresource(method, q, UPLOADS, OBJECT);
                    return Operation.CreateMultipartUpload;
                }
                throw methodNotAllowed(method, OBJECT);
            default:
                throw methodNotAllowed(method, OBJECT);
        }
    }

    /** Fails with MethodNotAllowed when a served sub-resource other than {@code allowed} is present. */
    private static void onlySubresource(String method, Map<String, List<String>> q, String allowed, String type) {
        for (String name : SERVED_SUBRESOURCES) {
            if (!name.equals(allowed) && q.containsKey(name)) {
                throw methodNotAllowed(method, type);
            }
        }
    }

    private static String first(Map<String, List<String>> q, String name) {
        List<String> values = q.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** AWS names the method and the kind of resource ({@code SERVICE}, {@code BUCKET}, {@code OBJECT}). */
    private static S3Exception methodNotAllowed(String method, String resourceType) {
        return new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED)
                .with("Method", String.valueOf(method))
                .with("ResourceType", resourceType);
    }
}
