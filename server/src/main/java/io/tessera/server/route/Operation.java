package io.tessera.server.route;

/**
 * The S3 operations Tessera serves, one constant per AWS API action (names as in the AWS API reference).
 * Anything else is answered by the {@link Router} with {@code NotImplemented} or {@code MethodNotAllowed}.
 */
public enum Operation {
    /** {@code GET /}. */
    ListBuckets,
    /** {@code PUT /{Bucket}}. */
    CreateBucket,
    /** {@code HEAD /{Bucket}}. */
    HeadBucket,
    /** {@code DELETE /{Bucket}}. */
    DeleteBucket,
    /** {@code GET /{Bucket}?location}. */
    GetBucketLocation,
    /** {@code GET /{Bucket}} (version 1 listing). */
    ListObjects,
    /** {@code GET /{Bucket}?list-type=2}. */
    ListObjectsV2,
    /** {@code GET /{Bucket}?uploads}. */
    ListMultipartUploads,
    /** {@code POST /{Bucket}?delete}. */
    DeleteObjects,
    /** {@code PUT /{Bucket}/{Key+}}. */
    PutObject,
    /** {@code PUT /{Bucket}/{Key+}} with {@code x-amz-copy-source}. */
    CopyObject,
    /** {@code GET /{Bucket}/{Key+}} (optionally {@code ?partNumber=N}). */
    GetObject,
    /** {@code HEAD /{Bucket}/{Key+}} (optionally {@code ?partNumber=N}). */
    HeadObject,
    /** {@code GET /{Bucket}/{Key+}?attributes} with {@code x-amz-object-attributes}. */
    GetObjectAttributes,
    /** {@code DELETE /{Bucket}/{Key+}}. */
    DeleteObject,
    /** {@code POST /{Bucket}/{Key+}?uploads}. */
    CreateMultipartUpload,
    /** {@code PUT /{Bucket}/{Key+}?partNumber=N&uploadId=ID}. */
    UploadPart,
    /** {@code PUT /{Bucket}/{Key+}?partNumber=N&uploadId=ID} with {@code x-amz-copy-source}. */
    UploadPartCopy,
    /** {@code POST /{Bucket}/{Key+}?uploadId=ID}. */
    CompleteMultipartUpload,
    /** {@code DELETE /{Bucket}/{Key+}?uploadId=ID}. */
    AbortMultipartUpload,
    /** {@code GET /{Bucket}/{Key+}?uploadId=ID}. */
    ListParts,
    /** {@code PUT /{Bucket}?lifecycle}. */
    PutBucketLifecycleConfiguration,
    /** {@code GET /{Bucket}?lifecycle}. */
    GetBucketLifecycleConfiguration,
    /** {@code DELETE /{Bucket}?lifecycle}. */
    DeleteBucketLifecycle,
    /** {@code GET /{Bucket}/{Key+}?tagging}. */
    GetObjectTagging,
    /** {@code PUT /{Bucket}/{Key+}?tagging}. */
    PutObjectTagging,
    /** {@code DELETE /{Bucket}/{Key+}?tagging}. */
    DeleteObjectTagging,
    /** {@code GET /{Bucket}?tagging}. */
    GetBucketTagging,
    /** {@code PUT /{Bucket}?tagging}. */
    PutBucketTagging,
    /** {@code DELETE /{Bucket}?tagging}. */
    DeleteBucketTagging,
    /** {@code GET /{Bucket}?cors}. */
    GetBucketCors,
    /** {@code PUT /{Bucket}?cors}. */
    PutBucketCors,
    /** {@code DELETE /{Bucket}?cors}. */
    DeleteBucketCors,
    /** {@code GET /{Bucket}?acl}. */
    GetBucketAcl,
    /** {@code PUT /{Bucket}?acl}. */
    PutBucketAcl,
    /** {@code GET /{Bucket}/{Key+}?acl}. */
    GetObjectAcl,
    /** {@code PUT /{Bucket}/{Key+}?acl}. */
    PutObjectAcl,
    /** {@code POST /{Bucket}} with a {@code multipart/form-data} body (browser form upload). */
    PostObject,
    /** {@code OPTIONS /{Bucket}} (CORS preflight). */
    PreflightBucket,
    /** {@code OPTIONS /{Bucket}/{Key+}} (CORS preflight). */
    PreflightObject,
    /** {@code PUT /{Bucket}?versioning}. */
    PutBucketVersioning,
    /** {@code GET /{Bucket}?versioning}. */
    GetBucketVersioning,
    /** {@code GET /{Bucket}?versions}. */
    ListObjectVersions;

    /**
     * True for the operations that are not authenticated by a SigV4 header or query: a CORS preflight (never
     * authenticated, as in S3) and a browser form upload (authenticated by its signed policy).
     */
    public boolean authenticatesItself() {
        return this == PreflightBucket || this == PreflightObject || this == PostObject;
    }

    /** True for the operations addressed to an object key rather than to a bucket or the service. */
    public boolean targetsObject() {
        switch (this) {
            case ListBuckets:
            case CreateBucket:
            case HeadBucket:
            case DeleteBucket:
            case GetBucketLocation:
            case ListObjects:
            case ListObjectsV2:
            case ListMultipartUploads:
            case DeleteObjects:
            case PutBucketLifecycleConfiguration:
            case GetBucketLifecycleConfiguration:
            case DeleteBucketLifecycle:
            case GetBucketTagging:
            case PutBucketTagging:
            case DeleteBucketTagging:
            case GetBucketCors:
            case PutBucketCors:
            case DeleteBucketCors:
            case GetBucketAcl:
            case PutBucketAcl:
            case PostObject:
            case PreflightBucket:
            case PutBucketVersioning:
            case GetBucketVersioning:
            case ListObjectVersions:
                return false;
            default:
                return true;
        }
    }
}
