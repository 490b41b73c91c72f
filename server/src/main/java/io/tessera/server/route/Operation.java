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
    DeleteBucketLifecycle;

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
                return false;
            default:
                return true;
        }
    }
}
